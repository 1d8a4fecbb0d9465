/** Names this service's queues, database, logs and the `source` of the events it emits. */
export const SERVICE_NAME = 'payments';
