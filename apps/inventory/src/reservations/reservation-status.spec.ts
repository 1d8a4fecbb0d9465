import {
  RESERVATION_STATUSES,
  ReservationStatus,
  stepOnOrderCancelled,
  stepOnOrderConfirmed,
  stepOnOrderPlaced,
} from './reservation-status';

const allBut = (...excluded: ReservationStatus[]) =>
  RESERVATION_STATUSES.filter((status) => !excluded.includes(status));

describe('reservation status', () => {
  describe('OrderPlaced', () => {
    it('reserves or rejects an order inventory has not heard of', () => {
      expect(stepOnOrderPlaced(null)).toBe('reserve-or-reject');
    });

    it('skips an order whose cancellation came first', () => {
      expect(stepOnOrderPlaced('CANCELLED')).toBe('skip-cancelled');
    });

    it.each(allBut('CANCELLED'))('never decides twice for an order already %s', (status) => {
      expect(stepOnOrderPlaced(status)).toBe('already-decided');
    });
  });

  describe('OrderCancelled', () => {
    it('releases a reservation', () => {
      expect(stepOnOrderCancelled('RESERVED')).toBe('release');
    });

    it('keeps a tombstone for an order whose OrderPlaced has not arrived', () => {
      expect(stepOnOrderCancelled(null)).toBe('record-tombstone');
    });

    it('leaves the stock of a confirmed order taken', () => {
      expect(stepOnOrderCancelled('COMMITTED')).toBe('refuse-committed');
    });

    it.each(['REJECTED', 'RELEASED', 'CANCELLED', 'SKIPPED'] as const)(
      'releases nothing for an order %s',
      (status) => {
        expect(stepOnOrderCancelled(status)).toBe('nothing-held');
      },
    );
  });

  describe('OrderConfirmed', () => {
    it('commits a reservation', () => {
      expect(stepOnOrderConfirmed('RESERVED')).toBe('commit');
    });

    it('is done already for a committed reservation', () => {
      expect(stepOnOrderConfirmed('COMMITTED')).toBe('already-committed');
    });

    it('calls an order inventory never reserved a contradiction', () => {
      expect(stepOnOrderConfirmed(null)).toBe('never-reserved');
    });

    it.each(allBut('RESERVED', 'COMMITTED'))('commits nothing for an order %s', (status) => {
      expect(stepOnOrderConfirmed(status)).toBe('not-reserved');
    });
  });
});
