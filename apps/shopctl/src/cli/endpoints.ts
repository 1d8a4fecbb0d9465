// config/ is data the tools read too (tools/service-ports.mjs): no project of its own.
// eslint-disable-next-line @nx/enforce-module-boundaries
import ports from '../../../../config/service-ports.json';

/** The services shopctl can talk to, each on its port from config/service-ports.json. */
export const SERVICES = ['orders', 'billing', 'inventory', 'payments', 'ops'] as const;
export type ServiceName = (typeof SERVICES)[number];

export function isServiceName(name: string): name is ServiceName {
  return (SERVICES as readonly string[]).includes(name);
}

/** Where the system is: from the global options, which read SHOPCTL_* variables. */
export interface Endpoints {
  /** Added to every port: a system started with `start-system.mjs --port-offset`. */
  portOffset: number;
  host: string;
  rabbitmqUrl: string;
  managementUrl: string;
  opsToken?: string;
  /** For the services' /admin/faults; the same token as ops unless set apart. */
  adminToken?: string;
}

/** The base URL of `service`'s instance `instance` (0 the first): billing#2 is 10 ports up. */
export function serviceUrl(endpoints: Endpoints, service: ServiceName, instance = 0): string {
  const port = ports[service] + instance * ports.instancePortStep + endpoints.portOffset;
  return `http://${endpoints.host}:${port}`;
}
