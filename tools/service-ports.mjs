// Where each service listens when started from this repository (npm start, the bench).
// Further instances of a service listen INSTANCE_PORT_STEP ports up: billing#2 on 3012.
/** The shop's services: the bench drives and measures these. */
export const SERVICE_PORTS = { orders: 3001, billing: 3002, inventory: 3003, payments: 3004 };
/** apps/ops: the dead-letter office, journal and console (not part of the bench). */
export const OPS_PORT = 3000;
/** Everything `npm start` runs. */
export const SYSTEM_PORTS = { ops: OPS_PORT, ...SERVICE_PORTS };
export const INSTANCE_PORT_STEP = 10;
