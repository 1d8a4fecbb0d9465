// Read by @shop/testing at import: every TestSystem of this suite lives on the private cluster
// (tests/cluster/src/support/private-cluster.ts), never on the machine's own broker.
import { CLUSTER_BASE_PORT, CLUSTER_SIZE } from './cluster-ports';

const nodes = Array.from({ length: CLUSTER_SIZE }, (_, i) => CLUSTER_BASE_PORT + i + 1);
process.env['TEST_RABBITMQ_URL'] = nodes
  .map((port) => `amqp://guest:guest@localhost:${port}`)
  .join(',');
process.env['TEST_RABBITMQ_MANAGEMENT_URL'] =
  `http://guest:guest@localhost:${CLUSTER_BASE_PORT + 10_000 + 1}`;
