import { isConnectionError } from './connection-errors';

const withCode = (code: string) => Object.assign(new Error('boom'), { code });

describe('isConnectionError', () => {
  it.each([
    ['connection refused', withCode('ECONNREFUSED')],
    ['server shutting down (57P01)', withCode('57P01')],
    ['connection failure (08006)', withCode('08006')],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['no pooled connection in time', new Error('timeout exceeded when trying to connect')],
    ['a wrapped cause', new Error('Failed query: select 1', { cause: withCode('57P03') })],
  ])('recognises %s', (_case, error) => {
    expect(isConnectionError(error)).toBe(true);
  });

  it.each([
    ['a unique violation', withCode('23505')],
    ['a syntax error', withCode('42601')],
    ['a plain error', new Error('business rule broken')],
    ['not an error at all', undefined],
  ])('does not mistake %s for an outage', (_case, error) => {
    expect(isConnectionError(error)).toBe(false);
  });
});
