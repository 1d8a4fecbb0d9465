import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const MONITORING = join(__dirname, '..', '..', '..', '..', 'monitoring');

/** Runs a Prometheus tool and returns what it printed; a non-zero exit fails the test. */
function run(tool: string, args: string[]): string {
  try {
    return execFileSync(tool, args, { cwd: MONITORING, encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${tool} ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

/** monitoring/ is what the compose profile `observability` runs: each file is checked by its own tool. */
describe('monitoring configuration', () => {
  it('every alert rule fires when it should and stays quiet when it should not (promtool test rules)', () => {
    const output = run('promtool', ['test', 'rules', 'alerts.test.yml']);
    process.stdout.write(output);
    expect(output).toContain('SUCCESS');
  });

  it('alerts.yml defines the five alerts the docs name', () => {
    const output = run('promtool', ['check', 'rules', 'alerts.yml']);
    expect(output).toContain('SUCCESS: 5 rules found');
    const rules = parse(readFileSync(join(MONITORING, 'alerts.yml'), 'utf8')) as {
      groups: Array<{ rules: Array<{ alert: string }> }>;
    };
    expect(rules.groups.flatMap((group) => group.rules.map((rule) => rule.alert)).sort()).toEqual([
      'ConsumerErrorRateHigh',
      'DeadLetterQueueNotEmpty',
      'NoMessagesProcessed',
      'OutboxStuck',
      'ServiceDown',
    ]);
  });

  it('prometheus.yml and alertmanager.yml are valid', () => {
    expect(run('promtool', ['check', 'config', 'prometheus.yml'])).toContain('SUCCESS');
    expect(run('amtool', ['check-config', 'alertmanager.yml'])).toContain('SUCCESS');
  });
});
