/** An error answer of the api, as problem+json says it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
  ) {
    super(`${status} ${code}: ${detail}`);
    this.name = 'ApiError';
  }
}

/**
 * Who calls; `forwardedFor` is the client's own address, believed when the
 * api trusts the caller as its proxy (X-Forwarded-For) or when the sandbox
 * takes simulated client IPs (Sandbox-Client-Ip).
 */
export type Credential = ({ bearer: string } | { publishableKey: string }) & { forwardedFor?: string };

/** The HTTP api, the only way the CLI touches a sandbox. */
export class SandboxApi {
  constructor(
    readonly baseUrl: string,
    /** The header that names a call's client: X-Forwarded-For to a trusting api, Sandbox-Client-Ip to a sandbox that simulates them. */
    private readonly clientIpHeader: 'x-forwarded-for' | 'sandbox-client-ip' = 'x-forwarded-for',
  ) {}

  get<T>(path: string, credential: Credential): Promise<T> {
    return this.call<T>('GET', path, credential);
  }

  post<T>(path: string, credential: Credential, body: unknown = {}): Promise<T> {
    return this.call<T>('POST', path, credential, body);
  }

  delete<T>(path: string, credential: Credential): Promise<T> {
    return this.call<T>('DELETE', path, credential);
  }

  private async call<T>(method: string, path: string, credential: Credential, body?: unknown): Promise<T> {
    const headers: Record<string, string> =
      'bearer' in credential ? { authorization: `Bearer ${credential.bearer}` } : { 'x-publishable-key': credential.publishableKey };
    if (credential.forwardedFor) headers[this.clientIpHeader] = credential.forwardedFor;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new Error(`Cannot reach the api at ${this.baseUrl} (${(error as Error).message}); is it running (npm start)?`, {
        cause: error,
      });
    }
    const text = await response.text();
    if (!response.ok) {
      const problem = safeJson(text) as { code?: string; detail?: string } | undefined;
      throw new ApiError(response.status, problem?.code ?? 'error', problem?.detail ?? text.slice(0, 200));
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
