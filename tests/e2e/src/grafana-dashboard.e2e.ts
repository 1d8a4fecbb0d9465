import { TestSystem, testEnv } from '@shop/testing';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

const GRAFANA = join(__dirname, '..', '..', '..', 'monitoring', 'grafana');

interface Panel {
  title: string;
  type: string;
  datasource?: { uid: string };
  targets?: Array<{ expr: string }>;
}

const dashboards = readdirSync(join(GRAFANA, 'dashboards')).map((file) => ({
  file,
  panels: (
    JSON.parse(readFileSync(join(GRAFANA, 'dashboards', file), 'utf8')) as { panels: Panel[] }
  ).panels.filter((panel) => panel.type !== 'row'),
}));
const queries = dashboards.flatMap(({ file, panels }) =>
  panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({
      where: `${file}: ${panel.title}`,
      expr: target.expr,
    })),
  ),
);

/** Metric names a PromQL expression reads (ours, the broker plugin's, and Prometheus' own). */
function metricsIn(expr: string): string[] {
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return [...withoutStrings.matchAll(/\b(shop_\w+|rabbitmq_\w+|process_\w+|up)\b(?!\s*\()/g)].map(
    ([name]) => name,
  );
}

/** Names a /metrics page exposes, histogram and summary series included. */
function exposedNames(page: string): string[] {
  return [...page.matchAll(/^# TYPE (\S+) (\S+)/gm)].flatMap(([, name, type]) =>
    type === 'histogram'
      ? [name, `${name}_bucket`, `${name}_sum`, `${name}_count`]
      : type === 'summary'
        ? [name, `${name}_sum`, `${name}_count`]
        : [name],
  );
}

/** The Grafana dashboards of monitoring/: valid PromQL over metrics that exist. */
describe('Grafana dashboards', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await TestSystem.start('dash', {
      services: ['orders', 'billing', 'inventory', 'payments'],
    });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('every panel reads the provisioned Prometheus data source', () => {
    const provisioned = parse(
      readFileSync(join(GRAFANA, 'provisioning', 'datasources', 'prometheus.yml'), 'utf8'),
    ) as { datasources: Array<{ uid: string }> };
    const uids = provisioned.datasources.map((source) => source.uid);
    const panels = dashboards.flatMap(({ panels }) => panels);
    expect(panels.length).toBeGreaterThan(10);
    expect(panels.filter((panel) => !uids.includes(panel.datasource?.uid ?? ''))).toEqual([]);
  });

  it("every panel's PromQL parses (checked by promtool as recording rules)", () => {
    const directory = mkdtempSync(join(tmpdir(), 'shop-dashboard-'));
    try {
      const rules = {
        groups: [
          {
            name: 'dashboard',
            rules: queries.map((query, index) => ({ record: `panel_${index}`, expr: query.expr })),
          },
        ],
      };
      writeFileSync(join(directory, 'rules.yml'), JSON.stringify(rules));
      const output = execFileSync('promtool', ['check', 'rules', 'rules.yml'], {
        cwd: directory,
        encoding: 'utf8',
      });
      expect(output).toContain(`SUCCESS: ${queries.length} rules found`);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('every panel names only metrics that the services, the broker or Prometheus expose', async () => {
    const pages = await Promise.all(
      (['orders', 'billing', 'inventory', 'payments'] as const).map(async (service) =>
        (await fetch(`${system.service(service).baseUrl}/metrics`)).text(),
      ),
    );
    const broker = new URL(testEnv.rabbitmqManagementUrl);
    broker.port = '15692';
    broker.username = broker.password = '';
    broker.pathname = '/metrics/detailed';
    broker.search = '?family=queue_coarse_metrics&family=queue_consumer_count';
    pages.push(await (await fetch(broker)).text());
    const exposed = new Set([...pages.flatMap(exposedNames), 'up']);

    const named = queries.flatMap((query) =>
      metricsIn(query.expr).map((metric) => ({ where: query.where, metric })),
    );
    expect(named.length).toBeGreaterThanOrEqual(queries.length);
    expect(named.filter(({ metric }) => !exposed.has(metric))).toEqual([]);
  });
});
