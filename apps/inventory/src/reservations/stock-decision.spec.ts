import { decideReservation, mergeLines } from './stock-decision';

const stock = (levels: Record<string, number>) => new Map(Object.entries(levels));

describe('stock decision', () => {
  it('reserves every line when each sku has enough stock', () => {
    expect(
      decideReservation(
        [
          { sku: 'SKU-0002', quantity: 3 },
          { sku: 'SKU-0001', quantity: 1 },
        ],
        stock({ 'SKU-0001': 1, 'SKU-0002': 10 }),
      ),
    ).toEqual({
      outcome: 'reserve',
      items: [
        { sku: 'SKU-0001', quantity: 1 },
        { sku: 'SKU-0002', quantity: 3 },
      ],
    });
  });

  it('reserves exactly the last units', () => {
    expect(
      decideReservation([{ sku: 'SKU-0001', quantity: 5 }], stock({ 'SKU-0001': 5 })),
    ).toMatchObject({ outcome: 'reserve' });
  });

  it('rejects the whole order when one line is short, naming only what is missing', () => {
    expect(
      decideReservation(
        [
          { sku: 'SKU-0001', quantity: 1 },
          { sku: 'SKU-SOLDOUT', quantity: 2 },
        ],
        stock({ 'SKU-0001': 100, 'SKU-SOLDOUT': 0 }),
      ),
    ).toEqual({
      outcome: 'reject',
      items: [
        { sku: 'SKU-0001', quantity: 1 },
        { sku: 'SKU-SOLDOUT', quantity: 2 },
      ],
      missing: [{ sku: 'SKU-SOLDOUT', requested: 2, available: 0 }],
    });
  });

  it('treats a sku inventory does not hold as 0 available', () => {
    expect(decideReservation([{ sku: 'SKU-NOPE', quantity: 1 }], stock({}))).toMatchObject({
      outcome: 'reject',
      missing: [{ sku: 'SKU-NOPE', requested: 1, available: 0 }],
    });
  });

  it('adds up a sku listed twice before comparing with stock', () => {
    expect(
      decideReservation(
        [
          { sku: 'SKU-0001', quantity: 3 },
          { sku: 'SKU-0001', quantity: 3 },
        ],
        stock({ 'SKU-0001': 5 }),
      ),
    ).toMatchObject({
      outcome: 'reject',
      missing: [{ sku: 'SKU-0001', requested: 6, available: 5 }],
    });
  });

  it('merges lines into one per sku, in sku order', () => {
    expect(
      mergeLines([
        { sku: 'SKU-0003', quantity: 1 },
        { sku: 'SKU-0001', quantity: 2 },
        { sku: 'SKU-0003', quantity: 4 },
      ]),
    ).toEqual([
      { sku: 'SKU-0001', quantity: 2 },
      { sku: 'SKU-0003', quantity: 5 },
    ]);
  });
});
