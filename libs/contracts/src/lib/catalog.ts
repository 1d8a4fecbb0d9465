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
  /** The one service that publishes it (its broker user may publish nothing else). */
  source: string;
}

/** The event catalog (docs/architecture.md, "Events"): each eventType with its routing key and payload schema. */
export const EventCatalog = {
  OrderPlaced: {
    routingKey: 'order.placed',
    version: 1,
    schema: OrderPlacedSchema,
    source: 'orders',
  },
  StockReserved: {
    routingKey: 'stock.reserved',
    version: 1,
    schema: StockReservedSchema,
    source: 'inventory',
  },
  StockRejected: {
    routingKey: 'stock.rejected',
    version: 1,
    schema: StockRejectedSchema,
    source: 'inventory',
  },
  PaymentRequested: {
    routingKey: 'payment.requested',
    version: 1,
    schema: PaymentRequestedSchema,
    source: 'billing',
  },
  PaymentCaptured: {
    routingKey: 'payment.captured',
    version: 1,
    schema: PaymentCapturedSchema,
    source: 'payments',
  },
  PaymentDeclined: {
    routingKey: 'payment.declined',
    version: 1,
    schema: PaymentDeclinedSchema,
    source: 'payments',
  },
  OrderProcessed: {
    routingKey: 'order.processed',
    version: 1,
    schema: OrderProcessedSchema,
    source: 'billing',
  },
  OrderConfirmed: {
    routingKey: 'order.confirmed',
    version: 1,
    schema: OrderConfirmedSchema,
    source: 'orders',
  },
  OrderCancelled: {
    routingKey: 'order.cancelled',
    version: 1,
    schema: OrderCancelledSchema,
    source: 'orders',
  },
  StockReleased: {
    routingKey: 'stock.released',
    version: 1,
    schema: StockReleasedSchema,
    source: 'inventory',
  },
  PaymentRefunded: {
    routingKey: 'payment.refunded',
    version: 1,
    schema: PaymentRefundedSchema,
    source: 'payments',
  },
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

/** The event types a service publishes, from the catalog's `source`. */
export function eventTypesPublishedBy(service: string): EventType[] {
  return EVENT_TYPES.filter((eventType) => EventCatalog[eventType].source === service);
}
