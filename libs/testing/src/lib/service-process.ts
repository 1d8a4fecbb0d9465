import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, WriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

export interface ServiceProcessOptions {
  /** App name under dist/apps (build it first). */
  service: string;
  env: Record<string, string>;
  port?: number;
  readyTimeoutMs?: number;
}

const MAX_KEPT_LOG_CHARS = 200_000;

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A built service running as its own OS process, the way it runs in production. */
export class ServiceProcess {
  private output = '';
  private readonly exit: Promise<ProcessExit>;

  private constructor(
    readonly service: string,
    readonly port: number,
    private readonly child: ChildProcess,
    private readonly logFile: WriteStream,
  ) {
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-MAX_KEPT_LOG_CHARS);
      logFile.write(chunk);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exit = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  static async start({
    service,
    env,
    port,
    readyTimeoutMs = 60_000,
  }: ServiceProcessOptions): Promise<ServiceProcess> {
    const root = workspaceRoot();
    const main = join(root, 'dist', 'apps', service, 'main.js');
    if (!existsSync(main))
      throw new Error(`${main} is missing: build first (npx nx run-many -t build)`);
    const chosenPort = port ?? (await freePort());
    const logDir = join(root, 'tmp', 'test-logs');
    mkdirSync(logDir, { recursive: true });
    const logFile = createWriteStream(join(logDir, `${service}-${chosenPort}-${Date.now()}.log`));
    const child = spawn(process.execPath, [main], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'info', ...env, PORT: String(chosenPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const instance = new ServiceProcess(service, chosenPort, child, logFile);
    await instance.waitUntilReady(readyTimeoutMs);
    return instance;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  logs(): string {
    return this.output;
  }

  async waitUntilReady(timeoutMs = 60_000): Promise<void> {
    try {
      await waitFor(
        async () =>
          this.running ? (await fetch(`${this.baseUrl}/health/ready`)).status : 'exited',
        (status) => status === 200 || status === 'exited',
        { timeoutMs, intervalMs: 200, description: `${this.service} to be ready` },
      );
      if (!this.running) throw new Error(`${this.service} exited during start-up`);
    } catch (error) {
      this.child.kill('SIGKILL');
      throw new Error(
        `${(error as Error).message}\n--- ${this.service} output ---\n${this.output.slice(-5_000)}`,
      );
    }
  }

  /** Graceful stop (SIGTERM, as Docker and Kubernetes send); resolves with how it exited. */
  async stop(timeoutMs = 30_000): Promise<ProcessExit> {
    if (this.running) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exit;
    } finally {
      clearTimeout(timer);
      this.logFile.end();
    }
  }

  /** A crash: no shutdown hooks, no acks, no final flush. */
  async kill(): Promise<void> {
    if (this.running) this.child.kill('SIGKILL');
    await this.exit;
    this.logFile.end();
  }

  async get<T = unknown>(
    path: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.baseUrl}${path}`, { headers });
    return { status: response.status, body: (await parseBody(response)) as T };
  }

  async post<T = unknown>(
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return {
      status: response.status,
      body: (await parseBody(response)) as T,
      headers: response.headers,
    };
  }

  /** The value of one Prometheus series, e.g. metric('shop_messages_duplicate_total', { event_type: 'OrderPlaced' }). */
  async metric(name: string, labels: Record<string, string> = {}): Promise<number> {
    const text = await (await fetch(`${this.baseUrl}/metrics`)).text();
    let total = 0;
    for (const line of text.split('\n')) {
      if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
      if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) {
        total += Number(line.slice(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }
}

export interface StartRefusal {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a built service that is expected to stop by itself (a configuration it refuses, say);
 * killed after `timeoutMs`, or as soon as `until` matches its output.
 */
export function runServiceToExit(
  service: string,
  env: Record<string, string>,
  { timeoutMs = 30_000, until }: { timeoutMs?: number; until?: RegExp } = {},
): Promise<StartRefusal> {
  const main = join(workspaceRoot(), 'dist', 'apps', service, 'main.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main], {
      cwd: workspaceRoot(),
      env: { PATH: process.env['PATH'] ?? '', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = { stdout: '', stderr: '' };
    const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      output[stream] += chunk.toString();
      if (until?.test(output.stdout + output.stderr)) child.kill('SIGKILL');
    };
    child.stdout?.on('data', collect('stdout'));
    child.stderr?.on('data', collect('stderr'));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, ...output });
    });
  });
}

async function parseBody(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function workspaceRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the workspace root (nx.json)');
    dir = parent;
  }
  return dir;
}
