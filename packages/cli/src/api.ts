import { type WalletSandboxClient, createWalletSandboxClient, isProblem } from '@wallet-sandbox/client';
import type { Settings } from './settings.js';

/** An error answer of the api, as problem+json says it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly problem: Record<string, unknown> = {},
  ) {
    super(`${status} ${code}: ${detail}`);
    this.name = 'ApiError';
  }
}

/** What every openapi-fetch call resolves to. */
export interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The body of a 2xx answer; any other answer becomes an ApiError carrying its problem. */
export async function ok<T>(call: Answer<T> | Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  if (isProblem(error)) throw new ApiError(response.status, error.code, error.detail ?? error.title, error);
  throw new ApiError(response.status, 'error', typeof error === 'string' ? error.slice(0, 200) : JSON.stringify(error));
}

/**
 * An answer the OpenAPI document does not describe yet (typed `never`): its
 * body as the caller knows it to be.
 */
export async function okAs<T>(call: Answer<unknown> | Promise<Answer<unknown>>): Promise<T> {
  return (await ok(call)) as T;
}

/** Who calls: a sandbox's secret or publishable key, the admin token, a customer's or a store's bearer token. */
export type Credential = 'secret' | 'publishable' | 'admin' | 'none' | { bearer: string };

/** The sandbox's HTTP api through the typed client, the only way the CLI touches a sandbox. */
export class Connection {
  private readonly clients = new Map<string, WalletSandboxClient>();

  constructor(readonly settings: Settings) {}

  get baseUrl(): string {
    return this.settings.baseUrl;
  }

  /** A client that sends one credential; keys missing from the settings fail here, naming where to give them. */
  as(credential: Credential): WalletSandboxClient {
    const options =
      credential === 'secret'
        ? { token: this.settings.secretKey }
        : credential === 'publishable'
          ? { publishableKey: this.settings.publishableKey }
          : credential === 'admin'
            ? { token: this.settings.adminToken }
            : credential === 'none'
              ? {}
              : { token: credential.bearer };
    const key = JSON.stringify(options);
    let client = this.clients.get(key);
    if (!client) {
      client = createWalletSandboxClient({ baseUrl: this.baseUrl, fetch: this.reach, ...options });
      this.clients.set(key, client);
    }
    return client;
  }

  get secret(): WalletSandboxClient {
    return this.as('secret');
  }

  get publishable(): WalletSandboxClient {
    return this.as('publishable');
  }

  bearer(token: string): WalletSandboxClient {
    return this.as({ bearer: token });
  }

  /** fetch, saying what to do when nothing answers. */
  private readonly reach = async (request: Request): Promise<Response> => {
    try {
      return await fetch(request);
    } catch (error) {
      if (request.signal.aborted) throw error;
      throw new Error(`Cannot reach the api at ${this.baseUrl} (${(error as Error).message}); is it running (npm start)?`, {
        cause: error,
      });
    }
  };
}
