/**
 * Where an order stands in inventory:
 * - RESERVED: stock taken, waiting for the saga's outcome;
 * - COMMITTED: the order was confirmed, the stock stays taken for good;
 * - RELEASED: the order was cancelled, its stock was put back;
 * - REJECTED: not enough stock, nothing was taken;
 * - CANCELLED: a tombstone, the order's cancellation arrived before its OrderPlaced;
 * - SKIPPED: the OrderPlaced arrived after its cancellation, nothing was taken.
 */
export const RESERVATION_STATUSES = [
  'RESERVED',
  'COMMITTED',
  'RELEASED',
  'REJECTED',
  'CANCELLED',
  'SKIPPED',
] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/** What an OrderPlaced does, given what inventory already knows of the order (null: nothing). */
export type PlacedStep =
  | 'reserve-or-reject'
  /** The cancellation overtook it: reserving now would hold stock nobody releases. */
  | 'skip-cancelled'
  /** Another OrderPlaced (another eventId) for an order already decided: never twice. */
  | 'already-decided';

export function stepOnOrderPlaced(current: ReservationStatus | null): PlacedStep {
  if (current === null) return 'reserve-or-reject';
  return current === 'CANCELLED' ? 'skip-cancelled' : 'already-decided';
}

/** What an OrderCancelled does. */
export type CancelledStep =
  | 'release'
  /** Not seen the OrderPlaced yet: remember the cancellation for when it comes. */
  | 'record-tombstone'
  /** A confirmed order is final in the saga; putting its stock back would oversell. */
  | 'refuse-committed'
  /** Nothing held (rejected, already released, already cancelled or skipped). */
  | 'nothing-held';

export function stepOnOrderCancelled(current: ReservationStatus | null): CancelledStep {
  switch (current) {
    case null:
      return 'record-tombstone';
    case 'RESERVED':
      return 'release';
    case 'COMMITTED':
      return 'refuse-committed';
    default:
      return 'nothing-held';
  }
}

/** What an OrderConfirmed does. */
export type ConfirmedStep =
  | 'commit'
  /** A second OrderConfirmed (another eventId): already done. */
  | 'already-committed'
  /** Orders confirms only after our StockReserved, so a reservation must exist. */
  | 'never-reserved'
  /** Contradicts what inventory recorded (rejected, released, cancelled): nothing to commit. */
  | 'not-reserved';

export function stepOnOrderConfirmed(current: ReservationStatus | null): ConfirmedStep {
  switch (current) {
    case null:
      return 'never-reserved';
    case 'RESERVED':
      return 'commit';
    case 'COMMITTED':
      return 'already-committed';
    default:
      return 'not-reserved';
  }
}
