/** Names this service's database, logs and metrics. Ops owns no `<service>.events` queue. */
export const SERVICE_NAME = 'ops';
