import { ReservationStatus } from './reservation-status';
import { ReservationView } from './reservations.service';

export class ReservedItemResponse {
  sku!: string;
  quantity!: number;
}

/** What inventory did for an order (a class, for the OpenAPI document). */
export class ReservationResponse implements ReservationView {
  orderId!: string;
  status!: ReservationStatus;
  items!: ReservedItemResponse[];
  /** The OrderPlaced it decided on; null for a tombstone (cancelled before it arrived). */
  orderPlacedEventId!: string | null;
  cancelReason!: string | null;
  createdAt!: string;
  updatedAt!: string;
}
