import { BearerTokens } from './bearer-tokens';

describe('BearerTokens', () => {
  const tokens = new BearerTokens([
    { actor: 'alice', token: 'alice-token-0123456789' },
    { actor: 'bob', token: 'bob-token-0123456789' },
  ]);

  it('names the actor of a known token', () => {
    expect(tokens.check('Bearer bob-token-0123456789')).toEqual({ outcome: 'known', actor: 'bob' });
    expect(tokens.check('bearer alice-token-0123456789 ')).toEqual({
      outcome: 'known',
      actor: 'alice',
    });
  });

  it('tells a missing token from an unknown one', () => {
    expect(tokens.check(undefined)).toEqual({ outcome: 'missing' });
    expect(tokens.check('Basic abc')).toEqual({ outcome: 'missing' });
    expect(tokens.check('Bearer alice-token-012345678')).toEqual({ outcome: 'invalid' });
  });

  it('names an actor called "missing" or "invalid" like any other', () => {
    const odd = new BearerTokens([{ actor: 'missing', token: 'missing-token-0123456789' }]);
    expect(odd.check('Bearer missing-token-0123456789')).toEqual({
      outcome: 'known',
      actor: 'missing',
    });
  });
});
