import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

export interface ScrapeTarget {
  job: string;
  address: string;
  labels?: Record<string, string>;
}

export interface PrometheusAlert {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
}

/**
 * A private Prometheus (the real binary) on a free port with its own storage directory, scraping
 * and evaluating every second: never the machine's own Prometheus service.
 */
export class PrometheusServer {
  private constructor(
    readonly baseUrl: string,
    private readonly child: ChildProcess,
    private readonly directory: string,
    private readonly output: () => string,
  ) {}

  static async start(options: {
    targets: ScrapeTarget[];
    ruleFiles?: string[];
  }): Promise<PrometheusServer> {
    const directory = mkdtempSync(join(tmpdir(), 'shop-prometheus-'));
    const port = await freePort();
    const jobs = [...new Set(options.targets.map((target) => target.job))];
    const config = {
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: options.ruleFiles ?? [],
      scrape_configs: jobs.map((job) => ({
        job_name: job,
        static_configs: options.targets
          .filter((target) => target.job === job)
          .map((target) => ({ targets: [target.address], labels: target.labels ?? {} })),
      })),
    };
    // JSON is valid YAML.
    writeFileSync(join(directory, 'prometheus.yml'), JSON.stringify(config));
    const child = spawn(
      'prometheus',
      [
        `--config.file=${join(directory, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(directory, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const server = new PrometheusServer(`http://127.0.0.1:${port}`, child, directory, () => output);
    try {
      await waitFor(
        () =>
          fetch(`${server.baseUrl}/-/ready`).then(
            (response) => response.status,
            () => 0,
          ),
        (status) => status === 200,
        { timeoutMs: 30_000, description: 'Prometheus to be ready' },
      );
    } catch (error) {
      await server.stop();
      throw new Error(`${(error as Error).message}\n--- prometheus output ---\n${output}`);
    }
    return server;
  }

  /** An instant query; each result as its labels and value. */
  async query(promql: string): Promise<Array<{ labels: Record<string, string>; value: number }>> {
    const body = await this.api<{
      result: Array<{ metric: Record<string, string>; value: [number, string] }>;
    }>(`/api/v1/query?query=${encodeURIComponent(promql)}`);
    return body.result.map((row) => ({ labels: row.metric, value: Number(row.value[1]) }));
  }

  async alerts(): Promise<PrometheusAlert[]> {
    return (await this.api<{ alerts: PrometheusAlert[] }>('/api/v1/alerts')).alerts;
  }

  /** Every loaded rule with its health after the last evaluation. */
  async rules(): Promise<Array<{ name: string; health: string; lastError?: string }>> {
    const body = await this.api<{
      groups: Array<{ rules: Array<{ name: string; health: string; lastError?: string }> }>;
    }>('/api/v1/rules');
    return body.groups.flatMap((group) => group.rules);
  }

  logs(): string {
    return this.output();
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.directory, { recursive: true, force: true });
  }

  private async api<T>(path: string): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${path}: ${body.error}`);
    return body.data;
  }
}
