import { CancellationReason } from '@shop/contracts';
import { ReservationStatus } from './reservation-status';
import { reservationView } from './reservation.view';

export class ReservedItemResponse {
  sku!: string;
  quantity!: number;
}

/**
 * What inventory did for an order, as a class for the OpenAPI document (the swagger plugin
 * reads `*.response.ts`); `implements` and the controller's return type keep it and the view
 * the same.
 */
export class ReservationResponse implements ReturnType<typeof reservationView> {
  orderId!: string;
  status!: ReservationStatus;
  items!: ReservedItemResponse[];
  /** The OrderPlaced it decided on; null for a tombstone (cancelled before it arrived). */
  orderPlacedEventId!: string | null;
  /** Why the order was cancelled, once inventory heard of it. */
  cancelReason!: CancellationReason | null;
  createdAt!: string;
  updatedAt!: string;
}
