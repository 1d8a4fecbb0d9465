import { errorShape, groupTitle } from './error-shape';

describe('errorShape', () => {
  it('gives the same shape to the same failure about different orders and amounts', () => {
    const a = errorShape(
      'order 3f2a8c1e-5b7d-4e2f-9a1c-0d9e8f7a6b5c: amount 1999 exceeds limit 1000',
    );
    const b = errorShape(
      'order 9b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d: amount 25 exceeds limit 1000',
    );
    expect(a).toBe(b);
    expect(a).toBe('order <uuid>: amount <n> exceeds limit <n>');
  });

  it('strips quoted values, hex ids and numbers, and keeps the words', () => {
    expect(errorShape(`duplicate key value "abc" violates constraint 'x_1' at 0x7ffd3a`)).toBe(
      `duplicate key value "…" violates constraint '…' at <hex>`,
    );
    expect(errorShape('object deadbeef42 not found after 3 tries')).toBe(
      'object <hex> not found after <n> tries',
    );
  });

  it('keeps ordinary words that happen to be hex letters only', () => {
    expect(errorShape('bad face added')).toBe('bad face added');
  });

  it('collapses whitespace and bounds the length', () => {
    expect(errorShape('  a \n\t b ')).toBe('a b');
    expect(errorShape('word '.repeat(200)).length).toBeLessThanOrEqual(301);
  });

  it('titles a group by service, event type and shape', () => {
    expect(groupTitle('billing', 'OrderPlaced', 'boom <n>')).toBe(
      'billing · OrderPlaced · boom <n>',
    );
    expect(groupTitle('billing', null, 'not JSON')).toBe('billing · not an event · not JSON');
  });
});
