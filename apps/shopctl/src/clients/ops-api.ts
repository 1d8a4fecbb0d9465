import { Endpoints, serviceUrl } from '../cli/endpoints';
import { callJson } from './http-api';

// The parts of apps/ops' API shopctl reads (docs/architecture.md, "Ops"); the full shapes are
// in apps/ops' OpenAPI document at /docs.

export interface DeadLetter {
  id: string;
  service: string;
  queue: string;
  eventId: string | null;
  eventType: string | null;
  correlationId: string | null;
  orderId: string | null;
  reason: string;
  errorMessage: string;
  attempts: number;
  deadLetteredAt: string;
  status: 'unresolved' | 'retrying' | 'resolved' | 'archived';
  group: { id: string; title: string };
}

export interface DeadLetterDetail extends DeadLetter {
  payload: unknown;
  payloadText: string;
  headers: Record<string, unknown>;
  errorStack: string | null;
  history: Array<{ at: string; kind: string; actor: string | null; reason: string | null }>;
}

export interface FailureGroup {
  id: string;
  title: string;
  service: string;
  eventType: string | null;
  reason: string;
  count: number;
  unresolved: number;
  lastSeen: string;
}

export interface TimelineItem {
  eventId: string | null;
  eventType: string | null;
  source: string | null;
  routingKey: string;
  timestamp: string | null;
  receivedAt: string;
  correlationId: string | null;
  invalidReason: string | null;
  consumers: Array<{ service: string; outcome: string; deadLetterId?: string; evidence: string }>;
  deadLetter?: { id: string; service: string; status: string; reason: string };
}

export interface DeadLetterFilter {
  service?: string;
  eventType?: string;
  reason?: string;
  status?: string;
  q?: string;
  limit?: number;
}

/** apps/ops' JSON API, with the operator's token. */
export class OpsApi {
  private readonly base: string;

  constructor(private readonly endpoints: Endpoints) {
    this.base = `${serviceUrl(endpoints, 'ops')}/api`;
  }

  listDeadLetters(filter: DeadLetterFilter = {}) {
    const query = new URLSearchParams(
      Object.entries(filter)
        .filter(([, value]) => value !== undefined && value !== '')
        .map(([key, value]): [string, string] => [key, String(value)]),
    );
    return this.get<{ items: DeadLetter[]; total: number }>(`/dead-letters?${query}`);
  }

  deadLetter(id: string) {
    return this.get<DeadLetterDetail>(`/dead-letters/${encodeURIComponent(id)}`);
  }

  retry(id: string, reason?: string) {
    return this.post<unknown>(`/dead-letters/${encodeURIComponent(id)}/retry`, { reason });
  }

  archive(id: string, reason: string) {
    return this.post<unknown>(`/dead-letters/${encodeURIComponent(id)}/archive`, { reason });
  }

  groups(status?: string) {
    return this.get<{ items: FailureGroup[] }>(`/groups${status ? `?status=${status}` : ''}`);
  }

  timeline(orderId: string) {
    return this.get<{ items: TimelineItem[] }>(`/messages?orderId=${encodeURIComponent(orderId)}`);
  }

  private get<T>(path: string): Promise<T> {
    return callJson<T>(`${this.base}${path}`, { token: this.endpoints.opsToken });
  }

  private post<T>(path: string, body: unknown): Promise<T> {
    return callJson<T>(`${this.base}${path}`, {
      method: 'POST',
      token: this.endpoints.opsToken,
      body,
    });
  }
}
