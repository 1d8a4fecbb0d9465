/** Nodes listen for AMQP on 5701..5703 and serve management on 15701..15703. */
export const CLUSTER_BASE_PORT = 5700;
export const CLUSTER_SIZE = 3;
