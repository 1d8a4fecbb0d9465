import { OPS_TEST_TOKEN, ServiceProcess, TestSystem } from '@shop/testing';

export interface OpsResponse<T> {
  status: number;
  body: T;
}

/** apps/ops's `/api`, called with the TestSystem's token as a person's console would. */
export class OpsClient {
  constructor(
    private readonly system: TestSystem,
    private readonly token = OPS_TEST_TOKEN,
  ) {}

  private get ops(): ServiceProcess {
    return this.system.service('ops');
  }

  get<T = unknown>(path: string): Promise<OpsResponse<T>> {
    return this.request<T>('GET', path);
  }

  post<T = unknown>(path: string, body: unknown = {}): Promise<OpsResponse<T>> {
    return this.request<T>('POST', path, body);
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<OpsResponse<T>> {
    const response = await fetch(`${this.ops.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON: keep the text.
    }
    return { status: response.status, body: parsed as T };
  }
}
