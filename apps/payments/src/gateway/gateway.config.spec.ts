import { InvalidConfigError, parseConfig } from '@shop/platform';
import { gatewayConfigSchema } from './gateway.config';

const parse = (env: NodeJS.ProcessEnv) => parseConfig(gatewayConfigSchema, env, 'payments gateway');

describe('gateway config', () => {
  it('defaults to a gateway that never fails and answers at once', () => {
    expect(parse({})).toEqual({ GATEWAY_FAILURE_RATE: 0, GATEWAY_LATENCY_MS: 0 });
  });

  it('reads a failure rate and a latency', () => {
    expect(parse({ GATEWAY_FAILURE_RATE: '0.25', GATEWAY_LATENCY_MS: '150' })).toEqual({
      GATEWAY_FAILURE_RATE: 0.25,
      GATEWAY_LATENCY_MS: 150,
    });
  });

  it.each([
    ['a failure rate above 1', { GATEWAY_FAILURE_RATE: '2' }, 'GATEWAY_FAILURE_RATE="2"'],
    ['a negative failure rate', { GATEWAY_FAILURE_RATE: '-0.1' }, 'GATEWAY_FAILURE_RATE="-0.1"'],
    ['a failure rate that is no number', { GATEWAY_FAILURE_RATE: 'often' }, 'often'],
    ['a fractional latency', { GATEWAY_LATENCY_MS: '1.5' }, 'GATEWAY_LATENCY_MS="1.5"'],
    ['a negative latency', { GATEWAY_LATENCY_MS: '-1' }, 'GATEWAY_LATENCY_MS="-1"'],
  ])('refuses %s, naming the variable', (_case, env, named) => {
    expect(() => parse(env)).toThrow(InvalidConfigError);
    expect(() => parse(env)).toThrow(named);
  });
});
