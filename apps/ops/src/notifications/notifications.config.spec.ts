import { InvalidConfigError, parseConfig } from '@shop/platform';
import { notificationsConfigSchema } from './notifications.config';

const parse = (env: NodeJS.ProcessEnv) => parseConfig(notificationsConfigSchema, env, 'ops');

describe('notifications config', () => {
  it('sends nothing by default, aggregates over a minute and links to localhost:3000', () => {
    expect(parse({})).toEqual({
      OPS_WEBHOOK_URL: undefined,
      OPS_NOTIFY_WINDOW_MS: 60_000,
      OPS_NOTIFY_RULES: [],
      OPS_PUBLIC_URL: 'http://localhost:3000',
    });
  });

  it('reads both rules, with minPayments defaulting to 10, and a public URL without its trailing slash', () => {
    const config = parse({
      OPS_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/x',
      OPS_PUBLIC_URL: 'https://ops.example.com/',
      OPS_NOTIFY_RULES: JSON.stringify([
        { rule: 'large-order-confirmed', minAmountCents: 100_000 },
        { rule: 'payment-decline-rate', windowMinutes: 10, above: 0.3 },
      ]),
    });
    expect(config.OPS_PUBLIC_URL).toBe('https://ops.example.com');
    expect(config.OPS_NOTIFY_RULES).toEqual([
      { rule: 'large-order-confirmed', minAmountCents: 100_000 },
      { rule: 'payment-decline-rate', windowMinutes: 10, above: 0.3, minPayments: 10 },
    ]);
  });

  it.each([
    ['rules that are not JSON', 'OPS_NOTIFY_RULES', '[{rule:'],
    ['an unknown rule', 'OPS_NOTIFY_RULES', '[{"rule":"big-spender"}]'],
    [
      'a rule with a misspelt field',
      'OPS_NOTIFY_RULES',
      '[{"rule":"large-order-confirmed","minAmount":5}]',
    ],
    [
      'a rate above 1',
      'OPS_NOTIFY_RULES',
      '[{"rule":"payment-decline-rate","windowMinutes":10,"above":30}]',
    ],
    [
      'the same rule twice',
      'OPS_NOTIFY_RULES',
      '[{"rule":"large-order-confirmed","minAmountCents":1},{"rule":"large-order-confirmed","minAmountCents":2}]',
    ],
    ['a webhook that is no http URL', 'OPS_WEBHOOK_URL', 'ftp://example.com/hook'],
    ['a window under 100 ms', 'OPS_NOTIFY_WINDOW_MS', '50'],
  ])('refuses %s, naming the variable', (_case, name, value) => {
    expect(() => parse({ [name]: value })).toThrow(InvalidConfigError);
    expect(() => parse({ [name]: value })).toThrow(name);
  });
});
