import { Envelope } from './envelope';
import { PaymentRefunded, PaymentRefundedV1 } from './payloads';

/**
 * Turns the payload of one version of an event into the next version's, so that handlers only
 * ever see the current one while older messages are still about: in queues, in dead-letter
 * queues, and from producers not yet redeployed (docs/architecture.md, "Contract evolution").
 * Pure and total: it gets a payload already valid against its own version's schema, and what
 * it returns is validated against the next version's schema before any handler sees it.
 */
export type Upcaster<From, To> = (data: From, envelope: Pick<Envelope, 'timestamp'>) => To;

/**
 * v1 → v2: a v1 PaymentRefunded was written in the transaction that recorded the refund, right
 * after the gateway's answer, so its timestamp is the refund's time to within that transaction.
 */
export const paymentRefundedV1ToV2: Upcaster<PaymentRefundedV1, PaymentRefunded> = (
  data,
  envelope,
) => ({ ...data, refundedAt: envelope.timestamp });
