import {
  RabbitAdmin,
  reportFigures,
  ServiceName,
  SystemChecks,
  TestSystem,
  uniqueSuffix,
  placeOrders,
  waitFor,
} from '@shop/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLUSTER_BASE_PORT, CLUSTER_SIZE } from './support/cluster-ports';
import { ClusterNode, PrivateCluster } from './support/private-cluster';

const SERVICES: ServiceName[] = ['orders', 'billing', 'inventory', 'payments'];
const ORDER_COUNT = Number(process.env['CLUSTER_ORDERS'] ?? 300);
// 4 customers, an order each every 250 ms or so: about 15 orders/s, for 20 s, around the fault.
const CONCURRENCY = 4;
const PAUSE_MS = 250;
const SKUS = ['SKU-0001', 'SKU-0002', 'SKU-0003', 'SKU-0004', 'SKU-0005'];
/** How long the killed node stays down, while orders keep coming in. */
const NODE_DOWN_MS = 12_000;
const RETRY_ENV = { RETRY_DELAYS_MS: '250,500,1000', RETRY_MAX_ATTEMPTS: '5' };

describe('cluster: losing the broker node that leads most queues loses nothing', () => {
  let cluster: PrivateCluster;
  let system: TestSystem;
  let checks: SystemChecks;

  beforeAll(async () => {
    cluster = await PrivateCluster.start({ size: CLUSTER_SIZE, basePort: CLUSTER_BASE_PORT });
    system = await TestSystem.start('cluster', { services: SERVICES, env: RETRY_ENV });
    checks = new SystemChecks(system, SERVICES);
  });

  afterAll(async () => {
    await system?.stop();
    await cluster?.stop();
  });

  it('keeps every order, charges and invoices once, and resumes on the surviving nodes', async () => {
    const replicas = await quorumQueues();
    // Every work queue, DLQ and delay queue is a quorum queue replicated on all three nodes.
    expect(replicas.length).toBeGreaterThan(0);
    expect(replicas.filter((queue) => queue.members !== CLUSTER_SIZE)).toEqual([]);

    let fault: Promise<FaultFigures> | undefined;
    let acceptedSoFar = 0;
    const load = await placeOrders({
      baseUrl: () => system.service('orders').baseUrl,
      count: ORDER_COUNT,
      concurrency: CONCURRENCY,
      runId: `cluster-${uniqueSuffix()}`,
      request: (index) => ({
        customerId: `cluster-${index}`,
        items: [{ sku: SKUS[index % SKUS.length], quantity: 1 }],
      }),
      pauseMs: PAUSE_MS,
      onAccepted: (accepted) => {
        acceptedSoFar = accepted;
        if (!fault && accepted >= ORDER_COUNT * 0.25) fault = loseBusiestNode(() => acceptedSoFar);
      },
    });
    const figures = await fault!;

    await waitFor(
      async () =>
        (await system.service('orders').get<{ total: number }>('/orders?status=PENDING&limit=1'))
          .body.total,
      (pending) => pending === 0,
      {
        timeoutMs: 180_000,
        intervalMs: 500,
        description: 'every order to reach a terminal status',
      },
    );
    await waitFor(
      () => checks.outboxBacklog(),
      (backlog) => backlog === 0,
      {
        timeoutMs: 60_000,
        description: 'every outbox to drain',
      },
    );

    // Every accepted order exists once and was confirmed (the demo rules confirm all of these).
    expect(new Set(load.placed.map((order) => order.orderId)).size).toBe(ORDER_COUNT);
    const finals = await checks.finalOrders();
    expect(
      load.placed.filter((order) => finals.get(order.orderId)?.status !== 'CONFIRMED'),
    ).toEqual([]);
    // One invoice per order, and exactly one capture: nobody was charged twice.
    const invoices = await checks.countBy(
      'billing',
      'SELECT order_id AS key, count(*)::int AS n FROM invoices GROUP BY order_id',
    );
    const captures = await checks.countBy(
      'payments',
      `SELECT order_id AS key, count(*)::int AS n FROM payments WHERE status = 'CAPTURED' GROUP BY order_id`,
    );
    const charges = await checks.countBy(
      'payments',
      `SELECT kind || ':' || outcome AS key, count(*)::int AS n FROM gateway_operations GROUP BY kind, outcome`,
    );
    for (const order of load.placed) {
      expect([order.index, invoices.get(order.orderId), captures.get(order.orderId)]).toEqual([
        order.index,
        1,
        1,
      ]);
    }
    expect(charges.get('charge:captured')).toBe(ORDER_COUNT);
    // The fault sent nothing to a DLQ: no valid event parked, no retry ladder exhausted.
    expect((await checks.deadLetters()).valid).toEqual([]);
    expect(
      await checks.metricTotal('shop_messages_dead_lettered_total', {
        reason: 'retries-exhausted',
      }),
    ).toBe(0);

    reportFigures('cluster', {
      orders: ORDER_COUNT,
      ...figures,
      httpRetriesDuringFault: load.retriedPosts,
      duplicatesAbsorbed: await checks.duplicatesAbsorbed(),
      requeuedWithoutAttempt: await checks.metricPerService('shop_messages_requeued_total'),
    });
  });

  it('never confirms a publish without a majority: with two nodes of three gone the outbox keeps the event, and sends it once a second node is back', async () => {
    const [survivor, ...lost] = cluster.nodes;
    const backlogBefore = await checks.outboxBacklog();
    expect(backlogBefore).toBe(0);
    for (const node of lost) cluster.kill(node);
    const placed = await system.service('orders').post<{ orderId: string }>('/orders', {
      customerId: 'cluster-minority',
      items: [{ sku: 'SKU-0001', quantity: 1 }],
    });
    expect(placed.status).toBe(201);
    const { orderId } = placed.body;
    // Longer than the publish timeout (10 s): the only node left cannot replicate, so the
    // broker never confirms, and the row is not marked published.
    await sleep(15_000);
    const [row] = await system.db('orders').query<{
      published: boolean;
    }>(`SELECT published_at IS NOT NULL AS published FROM outbox WHERE envelope->'data'->>'orderId' = $1 AND event_type = 'OrderPlaced'`, [orderId]);
    expect(row.published).toBe(false);
    expect(cluster.runningNodes(survivor)).toEqual([survivor.name]);

    await restart(lost[0], 2);
    await waitFor(
      async () =>
        (await system.service('orders').get<{ status: string }>(`/orders/${orderId}`)).body.status,
      (status) => status === 'CONFIRMED',
      {
        timeoutMs: 120_000,
        intervalMs: 500,
        description: 'the order confirmed once a majority is back',
      },
    );
    await restart(lost[1]);
    await waitFor(
      () => checks.outboxBacklog(),
      (backlog) => backlog === 0,
      {
        timeoutMs: 60_000,
        description: 'every outbox to drain',
      },
    );
  });

  interface FaultFigures {
    killedNode: string;
    leadersOnKilledNode: string;
    ordersAcceptedWhileNodeDown: number;
    secondsUntilConsumersResumed: number;
    secondsNodeDown: number;
  }

  /**
   * Kills the node that leads most quorum queues (SIGKILL of its Erlang VM), measures how long
   * until every service is ready again on the survivors, then brings the node back.
   */
  async function loseBusiestNode(accepted: () => number): Promise<FaultFigures> {
    const queues = await quorumQueues();
    const leaders = new Map<string, number>();
    for (const queue of queues) leaders.set(queue.leader, (leaders.get(queue.leader) ?? 0) + 1);
    const [busiest, led] = [...leaders].sort((a, b) => b[1] - a[1])[0];
    const node = cluster.node(busiest);
    const acceptedBefore = accepted();
    const killedAt = Date.now();
    cluster.kill(node);
    await sleep(1_000);
    await waitFor(allServicesReady, (ready) => ready, {
      timeoutMs: 60_000,
      intervalMs: 250,
      description: 'every service ready again on the surviving nodes',
    });
    const resumedAt = Date.now();
    await sleep(Math.max(0, NODE_DOWN_MS - (resumedAt - killedAt)));
    const acceptedWhileDown = accepted() - acceptedBefore;
    await restart(node);
    return {
      killedNode: busiest,
      leadersOnKilledNode: `${led} of ${queues.length}`,
      ordersAcceptedWhileNodeDown: acceptedWhileDown,
      secondsUntilConsumersResumed: round((resumedAt - killedAt) / 1000),
      secondsNodeDown: round((Date.now() - killedAt) / 1000),
    };
  }

  /** Starts the node again and waits until `running` nodes (all, by default) form the cluster. */
  async function restart(node: ClusterNode, running = CLUSTER_SIZE): Promise<void> {
    await cluster.startNode(node);
    await waitFor(
      async () => cluster.runningNodes(node).length,
      (count) => count === running,
      { timeoutMs: 60_000, description: `${node.name} back in the cluster` },
    );
  }

  async function allServicesReady(): Promise<boolean> {
    const statuses = await Promise.all(
      SERVICES.map((service) =>
        fetch(`${system.service(service).baseUrl}/health/ready`).then(
          (response) => response.status,
          () => 0,
        ),
      ),
    );
    return statuses.every((status) => status === 200);
  }

  /** The vhost's quorum queues, with their leader and member count, from a live node. */
  async function quorumQueues(): Promise<Array<{ name: string; leader: string; members: number }>> {
    const live = cluster.nodes.find((each) => cluster.runningNodes(each).length > 0)!;
    const admin = new RabbitAdmin(cluster.managementUrl(live));
    const response = await admin.request(
      'GET',
      `/api/queues/${encodeURIComponent(system.broker.vhost)}?columns=name,type,leader,members`,
    );
    const queues = (await response.json()) as Array<{
      name: string;
      type: string;
      leader?: string;
      members?: string[];
    }>;
    return queues
      .filter((queue) => queue.type === 'quorum')
      .map((queue) => ({
        name: queue.name,
        leader: queue.leader ?? '',
        members: queue.members?.length ?? 0,
      }));
  }
});

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
