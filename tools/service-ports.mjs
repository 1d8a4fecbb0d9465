// Where each service listens when started from this repository (npm start, the bench).
// Further instances of a service listen INSTANCE_PORT_STEP ports up: billing#2 on 3012.
export const SERVICE_PORTS = { orders: 3001, billing: 3002, inventory: 3003, payments: 3004 };
export const INSTANCE_PORT_STEP = 10;
