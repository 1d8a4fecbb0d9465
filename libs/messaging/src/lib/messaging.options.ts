export interface MessagingOptions {
  /** The name this service records in the inbox, e.g. `billing`. */
  consumer: string;
  relay?: {
    /** Rows published per round trip. */
    batchSize?: number;
    /** Safety-net poll for rows whose NOTIFY was missed (e.g. during a database restart). */
    pollIntervalMs?: number;
  };
  /** Deletes handled inbox rows and published outbox rows; absent, they are kept forever. */
  pruning?: {
    /** Age past which a row goes; must outlast any redelivery of the event it records. */
    retentionMs: number;
    /** Time between two pruning runs (the first runs at start-up). */
    intervalMs?: number;
    /** Rows deleted per statement: short statements, short locks. */
    batchSize?: number;
  };
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

/** The PostgreSQL channel the outbox notifies on commit; per database, so per service. */
export const OUTBOX_CHANNEL = 'outbox';
