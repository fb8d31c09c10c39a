import { type WalletSandboxClient, createWalletSandboxClient, isProblem } from '@wallet-sandbox/client';

/** A call the api gave up on: the replay stops rather than wait on a stuck api. */
const CALL_TIMEOUT_MS = 30_000;

/** An error answer of the api, as problem+json says it. */
class ApiError extends Error {
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
 * api trusts the replay as its proxy (X-Forwarded-For) or when the sandbox
 * takes simulated client IPs (Sandbox-Client-Ip).
 */
export type Credential = ({ bearer: string } | { publishableKey: string }) & { forwardedFor?: string };

/** The api the replay tells its story on, through the typed client of its OpenAPI document. */
export class SandboxApi {
  constructor(
    readonly baseUrl: string,
    /** The header that names a call's client: X-Forwarded-For to a trusting api, Sandbox-Client-Ip to a sandbox that simulates them. */
    private readonly clientIpHeader: 'x-forwarded-for' | 'sandbox-client-ip' = 'x-forwarded-for',
  ) {}

  /** The api as one caller sees it: every call with its key or token, from its network. */
  as(credential: Credential): WalletSandboxClient {
    return createWalletSandboxClient({
      baseUrl: this.baseUrl,
      ...('bearer' in credential ? { token: credential.bearer } : { publishableKey: credential.publishableKey }),
      headers: credential.forwardedFor ? { [this.clientIpHeader]: credential.forwardedFor } : {},
      fetch: (request) => this.send(request),
    });
  }

  private async send(request: Request): Promise<Response> {
    try {
      return await fetch(request, { signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
    } catch (error) {
      throw new Error(`Cannot reach the api at ${this.baseUrl} (${(error as Error).message}); is it running (npm start)?`, {
        cause: error,
      });
    }
  }
}

/** What the typed client answers: the body of a success, or what came with a refusal. */
export interface Reply<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** What a call came to: its answer, or the code of the api's refusal. Anything else (a 5xx, a dead api) is thrown. */
export type Answer<T> = { ok: true; value: T } | { ok: false; code: string };

export async function answer<T>(call: Promise<Reply<T>>): Promise<Answer<T>> {
  const { data, error, response } = await call;
  if (response.ok) return { ok: true, value: data as T };
  const refusal = refusalOf(response, error);
  if (refusal.status < 500) return { ok: false, code: refusal.code };
  throw refusal;
}

/** The answer of a call the story cannot go on without: any refusal is thrown. */
export async function must<T>(call: Promise<Reply<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw refusalOf(response, error);
  return data as T;
}

function refusalOf(response: Response, body: unknown): ApiError {
  if (isProblem(body)) return new ApiError(response.status, body.code, body.detail ?? body.title);
  return new ApiError(response.status, 'error', (typeof body === 'string' ? body : JSON.stringify(body ?? '')).slice(0, 200));
}
