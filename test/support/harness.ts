import { afterAll, beforeAll, expect } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Schemas, type WalletSandboxClient, type WalletSandboxOptions, createWalletSandboxClient } from '@wallet-sandbox/client';
import { Database, Queues } from '#core';
import { Reconciliation, type ReconciliationReport } from '#ledger';
import { createApi } from '../../apps/api/src/create-api.js';
import { buildOpenApiDocument } from '../../apps/api/src/openapi.js';
import { createWorker } from '../../apps/worker/src/create-worker.js';
import { Contract } from './contract.js';

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  token?: string;
  idempotencyKey?: string;
  headers?: Record<string, string>;
  /** Sent as is (for malformed bodies); otherwise `body` is JSON-encoded. */
  raw?: string;
}

export interface SandboxKeys {
  id: string;
  secretKey: string;
  publishableKey: string;
}

/** Who a typed client calls as: `token` (a key, a customer's access token, the admin token) or `publishableKey`, and any header to add. */
export type Credentials = Pick<WalletSandboxOptions, 'token' | 'publishableKey' | 'headers'>;

/** What a typed call answers: the body of a success, or what came with a refusal. */
interface TypedAnswer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The body of a typed call a test cannot go on without; any other answer fails the test, saying what `what` was. */
export async function answered<T>(call: Promise<TypedAnswer<T>>, what: string): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new Error(`${what} failed: ${response.status} ${JSON.stringify(error)}`);
  return data as T;
}

/** A typed call's answer as a Reply, for a helper whose callers assert on refusals as well as successes. */
export async function replyOf(call: Promise<TypedAnswer<unknown>>): Promise<Reply> {
  const { data, error, response } = await call;
  const body = response.ok ? data : error;
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  return { status: response.status, headers: response.headers, body, text };
}

/**
 * JSON over HTTP to one base URL, as a client of the API sends it. With a
 * contract, every reply is checked against the OpenAPI document and a reply
 * that departs from it fails the test that received it.
 */
export class HttpClient {
  constructor(
    readonly url: string,
    readonly contract: Contract | null = null,
  ) {}

  async request<T = any>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    let payload: string | undefined = options.raw;
    if (payload === undefined && body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
      headers['content-type'] = 'application/json';
    const response = await fetch(`${this.url}${path}`, { method, headers, body: payload });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON (metrics, HTML): keep the text
    }
    this.contract?.assert({ method, path, status: response.status, headers: response.headers, body: parsed, text });
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  get<T = any>(path: string, options?: RequestOptions): Promise<Reply<T>> {
    return this.request<T>('GET', path, undefined, options);
  }

  post<T = any>(path: string, body?: unknown, options?: RequestOptions): Promise<Reply<T>> {
    return this.request<T>('POST', path, body, options);
  }

  /** The typed client of the api at this URL (@wallet-sandbox/client), calling as `credentials`; its replies meet the contract too. */
  client(credentials: Credentials = {}): WalletSandboxClient {
    const client = createWalletSandboxClient({ baseUrl: this.url, ...credentials });
    const contract = this.contract;
    if (contract) {
      client.use({
        async onResponse({ request, response }) {
          const text = await response.clone().text();
          const { pathname, search } = new URL(request.url);
          contract.assert({
            method: request.method,
            path: `${pathname}${search}`,
            status: response.status,
            headers: response.headers,
            body: jsonOrText(text),
            text,
          });
        },
      });
    }
    return client;
  }
}

/** A reply's body: its JSON, or the text itself when it is not JSON. */
function jsonOrText(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

/** The real api (listening on a loopback port) and, unless asked not to, the real worker. */
export class Harness extends HttpClient {
  private constructor(
    readonly api: NestFastifyApplication,
    readonly worker: INestApplicationContext | null,
    url: string,
  ) {
    super(url, new Contract(buildOpenApiDocument(api, url)));
  }

  static async start(options: { worker?: boolean } = {}): Promise<Harness> {
    const api = await createApi({ dashboards: false });
    await api.listen(0, '127.0.0.1');
    const worker = options.worker === false ? null : await createWorker();
    return new Harness(api, worker, await api.getUrl());
  }

  get db(): Database {
    return this.api.get(Database);
  }

  get adminToken(): string {
    return process.env.ADMIN_TOKEN as string;
  }

  async createSandbox(
    securityProfile?: 'hardened' | 'legacy-2019',
    settings: Omit<Schemas['CreateSandboxBody'], 'name' | 'securityProfile'> = {},
  ): Promise<Schemas['CreatedSandboxDto']> {
    const body = { name: `test-${Date.now()}`, ...(securityProfile ? { securityProfile } : {}), ...settings };
    return answered(this.client({ token: this.adminToken }).POST('/v1/sandboxes', { body }), 'sandbox creation');
  }

  async createWallet(sandbox: SandboxKeys, fund = 0): Promise<string> {
    const wallet = await answered(this.client({ token: sandbox.secretKey }).POST('/v1/sandbox/wallets'), 'wallet creation');
    if (fund > 0) await this.fundWallet(sandbox, wallet.id, fund);
    return wallet.id;
  }

  /** Puts money in a wallet as the sandbox's operator (the test funding source). */
  async fundWallet(sandbox: SandboxKeys, walletId: string, amount: number): Promise<Schemas['FundedDto']> {
    const operator = this.client({ token: sandbox.secretKey });
    return answered(operator.POST('/v1/sandbox/wallets/{walletId}/fund', { params: { path: { walletId } }, body: { amount } }), 'funding');
  }

  /** Waits until every committed event is relayed and every queue is empty, twice in a row. */
  async drain(timeoutMs = 20_000): Promise<void> {
    const queues = this.api.get(Queues);
    const deadline = Date.now() + timeoutMs;
    let quietChecks = 0;
    while (quietChecks < 2) {
      if (Date.now() > deadline) throw new Error('queues did not drain in time');
      const [backlog] = await this.db.rows<{ n: string }>(`SELECT count(*) AS n FROM outbox_events WHERE relayed_at IS NULL`);
      const idle = Number(backlog.n) === 0 && (await queues.idle());
      quietChecks = idle ? quietChecks + 1 : 0;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Every event of the sandboxes this run made whose `data` departs from its webhook's schema in the document. */
  async eventsOffContract(since: Date): Promise<string[]> {
    const events = await this.db.rows<{ id: string; type: string; data: unknown }>(
      `SELECT e.id, e.type, e.data FROM outbox_events e JOIN sandboxes s ON s.id = e.sandbox_id WHERE s.created_at >= $1`,
      [since],
    );
    return events.flatMap((event) => this.contract!.checkEvent(event.type, event.data).map((problem) => `${event.id}: ${problem}`));
  }

  /**
   * Reconciliation of every sandbox made since `since` (by this file: the
   * worker's database holds those of the files it ran before, which checked
   * theirs); returns the reports that are not ok.
   */
  async brokenLedgers(since: Date): Promise<ReconciliationReport[]> {
    const reconciliation = this.api.get(Reconciliation);
    const sandboxes = await this.db.rows<{ id: string }>(`SELECT id FROM sandboxes WHERE created_at >= $1`, [since]);
    const reports = await Promise.all(sandboxes.map(({ id }) => reconciliation.run(id, new Date())));
    return reports.filter((report) => !report.ok);
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.api.close();
  }
}

/** The harness of the test file being run: its module state lives as long as the file (Jest loads modules anew for each). */
let shared: { harness: Harness; worker: boolean } | undefined;

/**
 * Starts the api (and the worker) before a file's tests and, after them,
 * drains the queues, proves every sandbox's ledger reconciles and closes.
 * The returned harness forwards to the running one. Every spec a test file
 * gathers (see test/e2e/money.test.ts) gets the same one: starting the api
 * and the worker, with every module they load, costs seconds of CPU.
 */
export function useHarness(options: { worker?: boolean } = {}): Harness {
  const worker = options.worker !== false;
  if (shared) {
    if (shared.worker !== worker) throw new Error('the specs of one test file share its harness: gather specs that want the same worker');
    return shared.harness;
  }
  let current: Harness | undefined;
  let started = new Date();
  beforeAll(async () => {
    started = new Date(Date.now() - 1_000);
    current = await Harness.start(options);
  });
  afterAll(async () => {
    if (!current) return;
    try {
      if (current.worker) await current.drain();
      expect(await current.brokenLedgers(started)).toEqual([]);
      expect(await current.eventsOffContract(started)).toEqual([]);
    } finally {
      await current.close();
    }
  });
  const harness = new Proxy({} as Harness, {
    get(_target, property) {
      if (!current) throw new Error('the harness is not started yet: use it inside tests or hooks');
      const value = Reflect.get(current, property, current) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(current) : value;
    },
  });
  shared = { harness, worker };
  return harness;
}
