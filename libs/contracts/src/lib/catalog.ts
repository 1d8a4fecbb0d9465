import { z } from 'zod';
import { Envelope } from './envelope';
import {
  OrderCancelledSchema,
  OrderConfirmedSchema,
  OrderPlacedSchema,
  OrderProcessedSchema,
  PaymentCapturedSchema,
  PaymentDeclinedSchema,
  PaymentRefundedSchema,
  PaymentRequestedSchema,
  StockRejectedSchema,
  StockReleasedSchema,
  StockReservedSchema,
} from './payloads';

interface EventDefinition {
  routingKey: string;
  version: number;
  schema: z.ZodType;
}

/** The event catalog (docs/architecture.md, "Events"): each eventType with its routing key and payload schema. */
export const EventCatalog = {
  OrderPlaced: { routingKey: 'order.placed', version: 1, schema: OrderPlacedSchema },
  StockReserved: { routingKey: 'stock.reserved', version: 1, schema: StockReservedSchema },
  StockRejected: { routingKey: 'stock.rejected', version: 1, schema: StockRejectedSchema },
  PaymentRequested: { routingKey: 'payment.requested', version: 1, schema: PaymentRequestedSchema },
  PaymentCaptured: { routingKey: 'payment.captured', version: 1, schema: PaymentCapturedSchema },
  PaymentDeclined: { routingKey: 'payment.declined', version: 1, schema: PaymentDeclinedSchema },
  OrderProcessed: { routingKey: 'order.processed', version: 1, schema: OrderProcessedSchema },
  OrderConfirmed: { routingKey: 'order.confirmed', version: 1, schema: OrderConfirmedSchema },
  OrderCancelled: { routingKey: 'order.cancelled', version: 1, schema: OrderCancelledSchema },
  StockReleased: { routingKey: 'stock.released', version: 1, schema: StockReleasedSchema },
  PaymentRefunded: { routingKey: 'payment.refunded', version: 1, schema: PaymentRefundedSchema },
} as const satisfies Record<string, EventDefinition>;

export type EventType = keyof typeof EventCatalog;

export type EventData<T extends EventType> = z.infer<(typeof EventCatalog)[T]['schema']>;

/** A validated event of one type: what a handler receives and what a service emits. */
export type DomainEvent<T extends EventType = EventType> = {
  [K in T]: Envelope<K, EventData<K>>;
}[T];

export const EVENT_TYPES = Object.keys(EventCatalog) as EventType[];

export function isEventType(value: string): value is EventType {
  return Object.prototype.hasOwnProperty.call(EventCatalog, value);
}

export function routingKeyOf(eventType: EventType): string {
  return EventCatalog[eventType].routingKey;
}
