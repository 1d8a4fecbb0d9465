import { InvalidConfigError, parseConfig } from '@shop/platform';
import { deadlineSweepIntervalMs, orderDeadlineConfigSchema } from './order-deadline.config';

const parse = (env: NodeJS.ProcessEnv) => parseConfig(orderDeadlineConfigSchema, env, 'orders');

describe('order deadline config', () => {
  it('gives an order five minutes by default', () => {
    expect(parse({})).toEqual({ ORDER_TIMEOUT_MS: 300_000 });
  });

  it('reads a timeout in milliseconds', () => {
    expect(parse({ ORDER_TIMEOUT_MS: '3000' })).toEqual({ ORDER_TIMEOUT_MS: 3_000 });
  });

  it.each([
    ['a timeout under a second', '999'],
    ['a fractional timeout', '1500.5'],
    ['a timeout that is no number', 'soon'],
  ])('refuses %s, naming the variable', (_case, value) => {
    expect(() => parse({ ORDER_TIMEOUT_MS: value })).toThrow(InvalidConfigError);
    expect(() => parse({ ORDER_TIMEOUT_MS: value })).toThrow(`ORDER_TIMEOUT_MS="${value}"`);
  });

  it('sweeps every tenth of the timeout, never more often than every 250 ms nor less than every 30 s', () => {
    expect(deadlineSweepIntervalMs(3_000)).toBe(300);
    expect(deadlineSweepIntervalMs(1_000)).toBe(250);
    expect(deadlineSweepIntervalMs(300_000)).toBe(30_000);
    expect(deadlineSweepIntervalMs(3_600_000)).toBe(30_000);
  });
});
