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
  PaymentRefundedV1Schema,
  PaymentRequestedSchema,
  StockRejectedSchema,
  StockReleasedSchema,
  StockReservedSchema,
} from './payloads';
import { paymentRefundedV1ToV2, Upcaster } from './upcasters';

/** A version still accepted though no longer current, and how it becomes the next one. */
export interface EarlierVersion {
  schema: z.ZodType;
  upcast: Upcaster<never, unknown>;
}

export interface EventDefinition {
  routingKey: string;
  /**
   * The one service that publishes it (`Envelope.source`; its broker user may publish nothing
   * else). Who consumes it is libs/rmq's data.
   */
  source: string;
  /** The current version: what `createEvent` writes and what every handler receives. */
  version: number;
  schema: z.ZodType;
  /**
   * Versions published before `version`, each with its upcaster to the version after it.
   * Published versions are never edited (libs/contracts/schemas holds each one's JSON Schema)
   * and never dropped while a message of theirs may still exist.
   */
  earlierVersions?: Readonly<Record<number, EarlierVersion>>;
}

/** The event catalog (docs/architecture.md, "Events"): each eventType with its routing key, publisher and payload schema. */
export const EventCatalog = {
  OrderPlaced: {
    routingKey: 'order.placed',
    source: 'orders',
    version: 1,
    schema: OrderPlacedSchema,
  },
  StockReserved: {
    routingKey: 'stock.reserved',
    source: 'inventory',
    version: 1,
    schema: StockReservedSchema,
  },
  StockRejected: {
    routingKey: 'stock.rejected',
    source: 'inventory',
    version: 1,
    schema: StockRejectedSchema,
  },
  PaymentRequested: {
    routingKey: 'payment.requested',
    source: 'billing',
    version: 1,
    schema: PaymentRequestedSchema,
  },
  PaymentCaptured: {
    routingKey: 'payment.captured',
    source: 'payments',
    version: 1,
    schema: PaymentCapturedSchema,
  },
  PaymentDeclined: {
    routingKey: 'payment.declined',
    source: 'payments',
    version: 1,
    schema: PaymentDeclinedSchema,
  },
  OrderProcessed: {
    routingKey: 'order.processed',
    source: 'billing',
    version: 1,
    schema: OrderProcessedSchema,
  },
  OrderConfirmed: {
    routingKey: 'order.confirmed',
    source: 'orders',
    version: 1,
    schema: OrderConfirmedSchema,
  },
  OrderCancelled: {
    routingKey: 'order.cancelled',
    source: 'orders',
    version: 1,
    schema: OrderCancelledSchema,
  },
  StockReleased: {
    routingKey: 'stock.released',
    source: 'inventory',
    version: 1,
    schema: StockReleasedSchema,
  },
  PaymentRefunded: {
    routingKey: 'payment.refunded',
    source: 'payments',
    version: 2,
    schema: PaymentRefundedSchema,
    earlierVersions: {
      1: { schema: PaymentRefundedV1Schema, upcast: paymentRefundedV1ToV2 },
    },
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
