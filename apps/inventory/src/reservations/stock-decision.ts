import { SkuQuantity } from '@shop/contracts';

export interface MissingStock {
  sku: string;
  requested: number;
  available: number;
}

/** All or nothing: every line is reserved, or the order is rejected with what is short. */
export type StockDecision =
  | { outcome: 'reserve'; items: SkuQuantity[] }
  | { outcome: 'reject'; items: SkuQuantity[]; missing: MissingStock[] };

/**
 * One line per sku, sorted by sku. The contract allows a sku twice in one order: summing keeps
 * "enough stock" honest, and one row per sku is what reservation_items can hold.
 */
export function mergeLines(lines: readonly SkuQuantity[]): SkuQuantity[] {
  const quantities = new Map<string, number>();
  for (const { sku, quantity } of lines) {
    quantities.set(sku, (quantities.get(sku) ?? 0) + quantity);
  }
  return [...quantities.entries()]
    .map(([sku, quantity]) => ({ sku, quantity }))
    .sort((a, b) => compareSkus(a.sku, b.sku));
}

/**
 * Decides from the stock levels read under lock. A sku missing from `available` is one
 * inventory does not hold: it counts as 0 available, so the order is rejected, not lost.
 */
export function decideReservation(
  lines: readonly SkuQuantity[],
  available: ReadonlyMap<string, number>,
): StockDecision {
  const items = mergeLines(lines);
  const missing = items
    .map(({ sku, quantity }) => ({ sku, requested: quantity, available: available.get(sku) ?? 0 }))
    .filter((line) => line.requested > line.available);
  return missing.length === 0
    ? { outcome: 'reserve', items }
    : { outcome: 'reject', items, missing };
}

/** Code-point order: events list skus the same way whatever the machine's locale. */
function compareSkus(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
