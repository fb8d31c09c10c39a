import createFetchClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type { components, operations, paths } from './schema.js';

/** An application/problem+json answer: `code` is stable, `detail` is for people. */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  requestId?: string;
  errors?: Array<{ field: string; message: string }>;
  [extension: string]: unknown;
}

export type WalletSandboxClient = Client<paths>;

export interface WalletSandboxOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** Where the api answers, e.g. http://localhost:3000 (no trailing /v1). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …`: a secret key, a store key, a customer's access token or the admin token. */
  token?: string;
  /** Sent as `X-Publishable-Key`, for a customer's calls before sign-in. */
  publishableKey?: string;
}

/** A client of every operation in the OpenAPI document, typed from it. */
export function createWalletSandboxClient(options: WalletSandboxOptions): WalletSandboxClient {
  const { token, publishableKey, headers, ...rest } = options;
  return createFetchClient<paths>({
    ...rest,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(publishableKey ? { 'X-Publishable-Key': publishableKey } : {}),
      ...(headers as Record<string, string> | undefined),
    },
  });
}

/** True when an error body is a problem+json answer of the api. */
export function isProblem(body: unknown): body is Problem {
  return (
    typeof body === 'object' && body !== null && typeof (body as Problem).code === 'string' && typeof (body as Problem).status === 'number'
  );
}

export type Schemas = components['schemas'];
