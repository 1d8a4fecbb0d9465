import { findUnstorableInput, MAX_PATH_SEGMENT_CHARS, unstorableText } from './unstorable-input';

const request = (overrides: Partial<{ originalUrl: string; query: unknown; body: unknown }>) => ({
  originalUrl: '/orders',
  query: {},
  body: undefined,
  ...overrides,
});

describe('unstorable input', () => {
  it('accepts ordinary text, accents and emoji', () => {
    expect(unstorableText('Zoë 🛒 SKU-0001')).toBeUndefined();
    expect(
      findUnstorableInput(
        request({
          originalUrl: '/products/SKU-0001?customerId=%C3%A5lice&limit=10',
          query: { customerId: 'ålice', limit: '10' },
          body: { customerId: 'bob', items: [{ sku: 'SKU-0001', quantity: 2 }] },
        }),
      ),
    ).toBeUndefined();
  });

  it.each([
    ['a NUL byte in the path', request({ originalUrl: '/products/%00' }), 'path contains a NUL'],
    [
      'bad percent-encoding in the path',
      request({ originalUrl: '/products/%FF' }),
      'percent-encoded',
    ],
    [
      'an over-long path segment',
      request({ originalUrl: `/products/${'a'.repeat(MAX_PATH_SEGMENT_CHARS + 1)}` }),
      'path segment is longer',
    ],
    [
      'invalid UTF-8 in the query string',
      request({ originalUrl: '/orders?customerId=%ED%A0%80' }),
      'query is not valid percent-encoded',
    ],
    [
      'a NUL byte in a query value',
      request({ query: { customerId: 'a\u0000b' } }),
      'query.customerId contains a NUL',
    ],
    [
      'a NUL byte in a repeated query value',
      request({ query: { status: ['PENDING', '\u0000'] } }),
      'query.status.1 contains a NUL',
    ],
    [
      'a lone surrogate in the body',
      request({ body: { customerId: 'x\uD800' } }),
      'body.customerId is not valid Unicode',
    ],
    [
      'a NUL byte deep in the body',
      request({ body: { items: [{ sku: 'SKU\u0000' }] } }),
      'body.items.0.sku contains a NUL',
    ],
    ['a NUL byte in a field name', request({ body: { 'a\u0000': 1 } }), 'field name'],
  ])('refuses %s', (_case, input, expected) => {
    expect(findUnstorableInput(input)).toContain(expected);
  });
});
