import { opsAuthConfigSchema } from './ops-auth.config';
import { parseOpsTokens } from './ops-tokens';

const TOKEN_A = 'a'.repeat(16);
const TOKEN_B = 'b'.repeat(20);

describe('ops tokens', () => {
  it('reads named tokens as actors', () => {
    expect(parseOpsTokens(`alice:${TOKEN_A}, bob:${TOKEN_B}`)).toEqual({
      outcome: 'parsed',
      credentials: [
        { actor: 'alice', token: TOKEN_A },
        { actor: 'bob', token: TOKEN_B },
      ],
    });
  });

  it.each([
    ['a pair without a name', `:${TOKEN_A}`],
    ['a short token', 'alice:short'],
    ['a name given twice', `alice:${TOKEN_A},alice:${TOKEN_B}`],
    ['no separator', TOKEN_A],
  ])('refuses %s', (_case, value) => {
    expect(parseOpsTokens(value).outcome).toBe('invalid');
  });

  it('gives the shared OPS_TOKEN the actor "operator", next to the named ones', () => {
    expect(
      opsAuthConfigSchema.parse({ OPS_TOKEN: TOKEN_A, OPS_TOKENS: `bob:${TOKEN_B}` }).credentials,
    ).toEqual([
      { actor: 'operator', token: TOKEN_A },
      { actor: 'bob', token: TOKEN_B },
    ]);
  });

  it('refuses to configure ops without any token, saying how to set one', () => {
    const result = opsAuthConfigSchema.safeParse({});
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      path: ['OPS_TOKEN'],
      message: expect.stringContaining('refuses to start without a token'),
    });
  });
});
