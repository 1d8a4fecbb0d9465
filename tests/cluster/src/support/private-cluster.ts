import { spawn, spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Debian's RabbitMQ, started directly: its wrapper in /usr/sbin would use the system's config. */
const RABBITMQ_BIN = '/usr/lib/rabbitmq/bin';

export interface ClusterNode {
  /** The Erlang node name, e.g. `shop-cluster-1@localhost`. */
  name: string;
  amqpPort: number;
  managementPort: number;
  dir: string;
}

export interface PrivateClusterOptions {
  size: number;
  /** Node i listens for AMQP on basePort + i, its management API on basePort + 10000 + i. */
  basePort: number;
}

/**
 * A RabbitMQ cluster of its own next to the machine's broker: each node has its own node name,
 * ports, config file and data directory, owned by the `rabbitmq` user (the Erlang cookie in its
 * home directory is shared, which is what lets the nodes cluster). Node 1 is the seed; the
 * others find it through classic config peer discovery, as docker-compose.yml's `cluster`
 * profile does, with the same queue settings (config/rabbitmq/cluster-node.conf).
 */
export class PrivateCluster {
  readonly nodes: ClusterNode[];
  private readonly root: string;

  private constructor(options: PrivateClusterOptions) {
    this.root = join(tmpdir(), `shop-cluster-${process.pid}`);
    this.nodes = Array.from({ length: options.size }, (_, i) => ({
      name: `shop-cluster-${i + 1}@localhost`,
      amqpPort: options.basePort + i + 1,
      managementPort: options.basePort + 10_000 + i + 1,
      dir: join(this.root, `node-${i + 1}`),
    }));
  }

  static async start(options: PrivateClusterOptions): Promise<PrivateCluster> {
    const cluster = new PrivateCluster(options);
    try {
      cluster.prepare();
      const [seed, ...others] = cluster.nodes;
      await cluster.startNode(seed);
      // One at a time: each joins a cluster that is already up.
      for (const node of others) await cluster.startNode(node);
      await cluster.waitForMembers(options.size);
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** Every node's AMQP URL as guest (loopback only), comma-separated as RABBITMQ_URL takes them. */
  amqpUrls(): string {
    return this.nodes.map((node) => `amqp://guest:guest@localhost:${node.amqpPort}`).join(',');
  }

  managementUrl(node = this.nodes[0]): string {
    return `http://guest:guest@localhost:${node.managementPort}`;
  }

  node(name: string): ClusterNode {
    const node = this.nodes.find((each) => each.name === name);
    if (!node) throw new Error(`no node ${name} in this cluster`);
    return node;
  }

  /** Starts a node (again) and waits until it runs RabbitMQ. */
  async startNode(node: ClusterNode): Promise<void> {
    const child = spawn('runuser', ['-u', 'rabbitmq', '--', `${RABBITMQ_BIN}/rabbitmq-server`], {
      env: this.envOf(node),
      detached: true,
      stdio: 'ignore',
    });
    child.unref();
    const started = Date.now();
    while (Date.now() - started < 120_000) {
      if (this.ctl(node, ['await_startup', '--timeout', '5']).status === 0) return;
      await sleep(1_000);
    }
    throw new Error(`node ${node.name} did not start: see ${join(node.dir, 'log')}`);
  }

  /** SIGKILL of the node's Erlang VM: no goodbye to its peers, no flush. */
  kill(node: ClusterNode): void {
    const pid = Number(readFileSync(join(node.dir, 'pid'), 'utf8').trim());
    process.kill(pid, 'SIGKILL');
  }

  /** Members of the cluster that are running, as the seed (or another live node) sees them. */
  runningNodes(via: ClusterNode): string[] {
    const result = this.ctl(via, ['cluster_status', '--formatter', 'json']);
    if (result.status !== 0) return [];
    return (JSON.parse(result.stdout) as { running_nodes: string[] }).running_nodes;
  }

  async stop(): Promise<void> {
    for (const node of this.nodes) {
      this.ctl(node, ['shutdown']);
      try {
        this.kill(node);
      } catch {
        // Not running, or never started.
      }
    }
    rmSync(this.root, { recursive: true, force: true });
  }

  private async waitForMembers(size: number): Promise<void> {
    const started = Date.now();
    while (Date.now() - started < 60_000) {
      if (this.runningNodes(this.nodes[0]).length === size) return;
      await sleep(500);
    }
    throw new Error(`the cluster did not reach ${size} running nodes`);
  }

  private prepare(): void {
    const rabbitmq = spawnSync('id', ['-u', 'rabbitmq'], { encoding: 'utf8' });
    const group = spawnSync('id', ['-g', 'rabbitmq'], { encoding: 'utf8' });
    const [uid, gid] = [Number(rabbitmq.stdout), Number(group.stdout)];
    const clusterSettings = readFileSync(
      join(__dirname, '..', '..', '..', '..', 'config', 'rabbitmq', 'cluster-node.conf'),
      'utf8',
    );
    mkdirSync(this.root, { recursive: true });
    chownSync(this.root, uid, gid);
    const [seed] = this.nodes;
    for (const node of this.nodes) {
      for (const dir of [node.dir, join(node.dir, 'mnesia'), join(node.dir, 'log')]) {
        mkdirSync(dir, { recursive: true });
        chownSync(dir, uid, gid);
      }
      const config = [
        `listeners.tcp.default = 127.0.0.1:${node.amqpPort}`,
        `management.tcp.ip = 127.0.0.1`,
        `management.tcp.port = ${node.managementPort}`,
        clusterSettings.trim(),
        ...(node === seed
          ? []
          : [
              'cluster_formation.peer_discovery_backend = classic_config',
              `cluster_formation.classic_config.nodes.1 = ${seed.name}`,
            ]),
      ].join('\n');
      writeFileSync(join(node.dir, 'rabbitmq.conf'), `${config}\n`);
      writeFileSync(join(node.dir, 'enabled_plugins'), '[rabbitmq_management].\n');
      writeFileSync(join(node.dir, 'rabbitmq-env.conf'), '');
      for (const file of ['rabbitmq.conf', 'enabled_plugins', 'rabbitmq-env.conf']) {
        chownSync(join(node.dir, file), uid, gid);
      }
    }
  }

  private envOf(node: ClusterNode): NodeJS.ProcessEnv {
    return {
      PATH: process.env['PATH'],
      HOME: '/var/lib/rabbitmq',
      RABBITMQ_NODENAME: node.name,
      RABBITMQ_NODE_PORT: String(node.amqpPort),
      RABBITMQ_DIST_PORT: String(node.amqpPort + 20_000),
      RABBITMQ_CONFIG_FILE: join(node.dir, 'rabbitmq.conf'),
      RABBITMQ_CONF_ENV_FILE: join(node.dir, 'rabbitmq-env.conf'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(node.dir, 'enabled_plugins'),
      RABBITMQ_MNESIA_BASE: join(node.dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(node.dir, 'log'),
      RABBITMQ_PID_FILE: join(node.dir, 'pid'),
      ERL_EPMD_ADDRESS: '127.0.0.1',
    };
  }

  private ctl(node: ClusterNode, args: string[]) {
    return spawnSync(
      'runuser',
      ['-u', 'rabbitmq', '--', `${RABBITMQ_BIN}/rabbitmqctl`, '-n', node.name, ...args],
      {
        env: this.envOf(node),
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
  }
}
