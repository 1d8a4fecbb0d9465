import type { FaultPlan } from '@shop/platform';
import { Endpoints, ServiceName, serviceUrl } from '../cli/endpoints';
import { CliError, ExitCode } from '../cli/exit-codes';
import { callJson } from './http-api';

/** start-system's --scale starts at most this many instances of a service worth probing for. */
const MAX_INSTANCES = 8;

export interface InstanceFaults {
  instance: string;
  faults: FaultPlan;
  active: string[];
}

/**
 * The services' /admin/faults, on every running instance of a service: a fault set on one
 * billing of two would show half a lab. Instances are found where start-system puts them.
 */
export class AdminApi {
  constructor(private readonly endpoints: Endpoints) {}

  async read(service: ServiceName): Promise<InstanceFaults[]> {
    return this.onEveryInstance(service, (url) => callJson(url, this.request('GET')));
  }

  async set(service: ServiceName, changes: FaultPlan): Promise<InstanceFaults[]> {
    return this.onEveryInstance(service, (url) => callJson(url, this.request('PATCH', changes)));
  }

  async clear(service: ServiceName): Promise<InstanceFaults[]> {
    return this.onEveryInstance(service, (url) => callJson(url, this.request('DELETE')));
  }

  /** How many instances of `service` answer, the first one required. */
  async instanceCount(service: ServiceName): Promise<number> {
    let count = 0;
    while (
      count < MAX_INSTANCES &&
      (await this.answers(serviceUrl(this.endpoints, service, count)))
    )
      count++;
    if (count === 0) {
      throw new CliError(
        `${service} is not running at ${serviceUrl(this.endpoints, service)}`,
        ExitCode.unreachable,
      );
    }
    return count;
  }

  private async onEveryInstance(
    service: ServiceName,
    call: (url: string) => Promise<{ faults: FaultPlan; active: string[] }>,
  ): Promise<InstanceFaults[]> {
    const count = await this.instanceCount(service);
    const results: InstanceFaults[] = [];
    for (let instance = 0; instance < count; instance++) {
      const answer = await call(`${serviceUrl(this.endpoints, service, instance)}/admin/faults`);
      results.push({
        instance: instance === 0 ? service : `${service}#${instance + 1}`,
        ...answer,
      });
    }
    return results;
  }

  private request(method: 'GET' | 'PATCH' | 'DELETE', body?: unknown) {
    if (!this.endpoints.adminToken) {
      throw new CliError(
        'the fault switches need a token: set SHOPCTL_ADMIN_TOKEN (or SHOPCTL_OPS_TOKEN when they share one, as npm start does)',
        ExitCode.usage,
      );
    }
    return { method, token: this.endpoints.adminToken, body };
  }

  private async answers(url: string): Promise<boolean> {
    try {
      await fetch(`${url}/health/live`, { signal: AbortSignal.timeout(2_000) });
      return true;
    } catch {
      return false;
    }
  }
}
