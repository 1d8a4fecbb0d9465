// Where each service listens when started from this repository (npm start, the bench, and
// what shopctl calls by default): config/service-ports.json, the one list of them.
// Further instances of a service listen INSTANCE_PORT_STEP ports up: billing#2 on 3012.
import { readFileSync } from 'node:fs';

const ports = JSON.parse(
  readFileSync(new URL('../config/service-ports.json', import.meta.url), 'utf8'),
);

/** The shop's services: the bench drives and measures these. */
export const SERVICE_PORTS = {
  orders: ports.orders,
  billing: ports.billing,
  inventory: ports.inventory,
  payments: ports.payments,
};
/** apps/ops: the dead-letter office, journal and console (not part of the bench). */
export const OPS_PORT = ports.ops;
/** Everything `npm start` runs. */
export const SYSTEM_PORTS = { ops: OPS_PORT, ...SERVICE_PORTS };
export const INSTANCE_PORT_STEP = ports.instancePortStep;
