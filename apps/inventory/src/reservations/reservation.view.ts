import { SkuQuantity } from '@shop/contracts';
import { ReservationRow } from './reservation.schema';

/** A reservation as stored: its row and the items it holds (or asked for). */
export interface ReservationRecord {
  reservation: ReservationRow;
  items: SkuQuantity[];
}

/** What inventory did for an order, as the API shows it. */
export function reservationView({ reservation, items }: ReservationRecord) {
  return {
    orderId: reservation.orderId,
    status: reservation.status,
    items,
    orderPlacedEventId: reservation.orderPlacedEventId,
    cancelReason: reservation.cancelReason,
    createdAt: reservation.createdAt.toISOString(),
    updatedAt: reservation.updatedAt.toISOString(),
  };
}
