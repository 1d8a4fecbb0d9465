import { IsolatedDatabase } from './isolated-database';

/** A charge the gateway captured whose money is not accounted for exactly once. */
export interface UnreconciledCharge {
  idempotencyKey: string;
  chargeReference: string;
  customerId: string;
  amountCents: number;
  currency: string;
  /** The payment that records the charge (CAPTURED, REFUNDED, ...), null when none does. */
  paymentStatus: string | null;
  refunds: number;
}

/**
 * Payments' reconciliation against the gateway's ledger, both in the payments database:
 * every captured charge must end either as a CAPTURED payment (and never refunded) or
 * refunded exactly once (and no payment still says CAPTURED). Returns the charges that break
 * this; an empty list means every cent taken is kept for an order or given back.
 * Run it once the system is quiet: a charge whose transaction is still in flight counts as
 * unreconciled until it commits.
 */
export async function unreconciledCharges(
  payments: IsolatedDatabase,
): Promise<UnreconciledCharge[]> {
  return payments.query<UnreconciledCharge>(`
    SELECT charge.idempotency_key AS "idempotencyKey",
           charge.reference AS "chargeReference",
           charge.customer_id AS "customerId",
           charge.amount_cents AS "amountCents",
           charge.currency,
           payment.status AS "paymentStatus",
           count(refund.reference)::int AS refunds
    FROM gateway_operations charge
    LEFT JOIN payments payment ON payment.gateway_reference = charge.reference
    LEFT JOIN gateway_operations refund
      ON refund.kind = 'refund' AND refund.charge_reference = charge.reference
    WHERE charge.kind = 'charge' AND charge.outcome = 'captured'
    GROUP BY charge.idempotency_key, charge.reference, charge.customer_id,
             charge.amount_cents, charge.currency, payment.status
    HAVING NOT (
      (payment.status = 'CAPTURED' AND count(refund.reference) = 0)
      OR (payment.status IS DISTINCT FROM 'CAPTURED' AND count(refund.reference) = 1))
    ORDER BY charge.created_at`);
}
