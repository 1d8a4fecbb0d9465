import { BearerTokens } from './bearer-tokens';

describe('BearerTokens', () => {
  const tokens = new BearerTokens([
    { actor: 'alice', token: 'alice-token-0123456789' },
    { actor: 'bob', token: 'bob-token-0123456789' },
  ]);

  it('names the actor of a known token', () => {
    expect(tokens.actorOf('Bearer bob-token-0123456789')).toBe('bob');
    expect(tokens.actorOf('bearer alice-token-0123456789 ')).toBe('alice');
  });

  it('tells a missing token from an unknown one', () => {
    expect(tokens.actorOf(undefined)).toBe('missing');
    expect(tokens.actorOf('Basic abc')).toBe('missing');
    expect(tokens.actorOf('Bearer alice-token-012345678')).toBe('invalid');
  });
});
