export interface MessagingOptions {
  /** The name this service records in the inbox, e.g. `billing`. */
  consumer: string;
  relay?: {
    /** Rows published per round trip. */
    batchSize?: number;
    /** Safety-net poll for rows whose NOTIFY was missed (e.g. during a database restart). */
    pollIntervalMs?: number;
  };
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

/** The PostgreSQL channel the outbox notifies on commit; per database, so per service. */
export const OUTBOX_CHANNEL = 'outbox';
