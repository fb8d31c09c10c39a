import { Agent, request as httpRequest } from 'node:http';

/** Extra headers of one call: a publishable key, a client address behind the trusted proxy. */
export type ExtraHeaders = Record<string, string>;

const TIMEOUT_MS = 10_000;

/** The few calls the benchmark makes over HTTP outside its measurements. */
export class ApiClient {
  constructor(readonly baseUrl: string) {}

  /**
   * `token` goes out as `Authorization: Bearer`; null sends none (publishable-key calls put theirs in `headers`).
   * A report over a large sandbox may take longer than the usual 10 s: `timeoutMs` says how long to wait.
   */
  get<T>(path: string, token: string | null, headers: ExtraHeaders = {}, timeoutMs = TIMEOUT_MS): Promise<T> {
    return this.call<T>('GET', path, token, headers, undefined, timeoutMs);
  }

  post<T>(path: string, token: string | null, body: unknown, headers: ExtraHeaders = {}): Promise<T> {
    return this.call<T>('POST', path, token, headers, body);
  }

  private async call<T>(
    method: string,
    path: string,
    token: string | null,
    headers: ExtraHeaders,
    body?: unknown,
    timeoutMs = TIMEOUT_MS,
  ): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }
}

export interface Sandbox {
  id: string;
  secretKey: string;
  publishableKey: string;
}

/** The ledger's reconciliation as GET /v1/reports/reconciliation answers it. */
export type { ReconciliationReport as Reconciliation } from '#ledger';

/** A response as the measured loops need it. */
export interface RawResponse {
  status: number;
  body: string;
}

/**
 * Requests over keep-alive connections with node:http, for measured loops
 * that cannot use autocannon (each request depends on the one before): it
 * costs the runner less CPU per request than fetch.
 */
export class KeepAliveClient {
  private readonly agent: Agent;
  private readonly url: URL;

  constructor(baseUrl: string, connections: number) {
    this.url = new URL(baseUrl);
    this.agent = new Agent({ keepAlive: true, maxSockets: connections });
  }

  /** Without `body`, a POST with none (as POST /v1/payment-codes takes). */
  post(path: string, headers: ExtraHeaders, body?: string): Promise<RawResponse> {
    return this.request('POST', path, headers, body);
  }

  get(path: string, headers: ExtraHeaders): Promise<RawResponse> {
    return this.request('GET', path, headers);
  }

  private request(method: 'GET' | 'POST', path: string, headers: ExtraHeaders, body?: string): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(
        {
          agent: this.agent,
          host: this.url.hostname,
          port: this.url.port,
          method,
          path,
          headers:
            body === undefined ? headers : { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          timeout: 10_000,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        },
      );
      request.on('timeout', () => request.destroy(new Error(`${method} ${path} timed out`)));
      request.on('error', reject);
      request.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
