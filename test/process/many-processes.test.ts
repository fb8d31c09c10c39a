import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import pg from 'pg';
import { newId, openQueue, validateEnvironment } from '#core';
import { freePort } from '../../tools/support/ports.js';
import { Customers } from '../support/customers.js';
import { builtProcessEnv } from '../support/process-env.js';
import { HttpClient, type SandboxKeys } from '../support/harness.js';
import { Receiver } from '../support/receiver.js';

/**
 * The sandbox as several processes: API_PROCESSES=2 behind one port and
 * WORKER_PROCESSES=2, the built programs run as users run them, on this
 * Jest worker's database and queues. Every request that must reach a given
 * process goes over a connection of its own, which the api's supervisor
 * hands to its processes in turn; the process that answered is read from
 * the api's log by the request's id.
 */

const root = resolve('.');
const PROCESSES = 2;

/** A supervisor and what it and its processes printed, line by line. */
class Group {
  readonly lines: string[] = [];
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    let partial = '';
    const keep = (chunk: Buffer): void => {
      const text = partial + chunk.toString('utf8');
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      this.lines.push(...lines);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.exited = new Promise((done) => child.on('exit', (code) => done(code)));
  }

  /** The pids of the supervisor's processes now, from /proc. */
  processes(): number[] {
    return spawnSync('ps', ['--ppid', String(this.child.pid), '-o', 'pid='], { encoding: 'utf8' })
      .stdout.split('\n')
      .map((line) => Number(line.trim()))
      .filter((pid) => pid > 0);
  }

  /** The pid that logged the request with this id, once it has. */
  async pidOf(requestId: string): Promise<number> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const line = this.lines.find((l) => l.includes(`"requestId":"${requestId}"`));
      if (line) return (JSON.parse(line) as { pid: number }).pid;
      if (Date.now() > deadline) throw new Error(`no log line of ${requestId}:\n${this.lines.slice(-20).join('\n')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Until each of the api's processes has said it listens: the supervisor hands connections only to those. */
  async waitForListening(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const listening = new Set(
        this.lines.filter((l) => l.includes('"msg":"Server listening')).map((l) => (JSON.parse(l) as { pid: number }).pid),
      );
      const pids = this.processes();
      if (pids.length > 0 && pids.every((pid) => listening.has(pid))) return;
      if (Date.now() > deadline) throw new Error(`${this.name}: not every process listens:\n${this.lines.slice(-20).join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async waitForProcesses(count: number, except: number[] = [], timeoutMs = 30_000): Promise<number[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pids = this.processes().filter((pid) => !except.includes(pid));
      if (pids.length >= count) return pids;
      if (Date.now() > deadline)
        throw new Error(`${this.name}: ${pids.length} of ${count} processes:\n${this.lines.slice(-20).join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

interface Answer<T = any> {
  status: number;
  body: T;
  text: string;
  /** The api process that answered. */
  pid: number;
}

let api: Group;
let worker: Group;
let env: NodeJS.ProcessEnv;
let baseUrl: string;
let h: HttpClient;
let db: pg.Pool;

/** One request over a connection of its own, so the supervisor picks the process; resolves with who answered. */
async function fresh<T = any>(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; key?: string } = {},
): Promise<Answer<T>> {
  const requestId = newId('req');
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const { status, text } = await new Promise<{ status: number; text: string }>((done, fail) => {
    const req = httpRequest(
      `${baseUrl}${path}`,
      {
        method,
        agent: false,
        headers: {
          'x-request-id': requestId,
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(options.key ? { 'idempotency-key': options.key } : {}),
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', fail);
    // A connection handed to a process as it is killed gets no answer: the client gives up, as a register would.
    req.setTimeout(10_000, () => req.destroy(new Error('no answer in 10 s')));
    req.end(payload);
  });
  const body = text && /^[[{]/.test(text) ? JSON.parse(text) : undefined;
  return { status, body, text, pid: await api.pidOf(requestId) };
}

/** Sends `count` requests one after another, each over a new connection: both processes answer some. */
async function inTurn<T = any>(count: number, send: () => Promise<Answer<T>>): Promise<Answer<T>[]> {
  const answers: Answer<T>[] = [];
  for (let i = 0; i < count; i += 1) answers.push(await send());
  return answers;
}

const pids = (answers: Answer[]): Set<number> => new Set(answers.map((a) => a.pid));

function start(name: string, script: string, env: NodeJS.ProcessEnv): Group {
  const child = spawn(process.execPath, [join(root, 'dist', script)], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Group(name, child);
}

async function ready(timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`not ready:\n${api.lines.slice(-20).join('\n')}\n${worker.lines.slice(-20).join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function balanceOf(sandbox: SandboxKeys, walletId: string): Promise<number> {
  const reply = await h.get(`/v1/sandbox/wallets/${walletId}`, { token: sandbox.secretKey });
  expect(reply.status).toBe(200);
  return reply.body.balance;
}

beforeAll(async () => {
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  env = {
    ...builtProcessEnv('many'),
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    PORT: String(port),
    API_PROCESSES: String(PROCESSES),
    WORKER_PROCESSES: String(PROCESSES),
    // Four processes on one server beside the test's own: a small pool each.
    DB_POOL_SIZE: '5',
  };
  api = start('api', 'apps/api/src/main.js', env);
  worker = start('worker', 'apps/worker/src/main.js', env);
  await Promise.all([api.waitForProcesses(PROCESSES), worker.waitForProcesses(PROCESSES)]);
  await api.waitForListening();
  await ready();
  h = new HttpClient(baseUrl);
  db = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
}, 120_000);

afterAll(async () => {
  await db?.end();
  for (const group of [api, worker]) group?.child.kill('SIGTERM');
  await Promise.all([api?.exited, worker?.exited]);
}, 60_000);

async function sandbox(): Promise<SandboxKeys> {
  const reply = await h.post('/v1/sandboxes', { name: 'many processes' }, { token: process.env.ADMIN_TOKEN });
  expect(reply.status).toBe(201);
  return reply.body;
}

describe('several api and worker processes', () => {
  test('the api answers from each of its processes on one port', async () => {
    const answers = await inTurn(6, () => fresh('GET', '/health/live'));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(pids(answers)).toEqual(new Set(api.processes()));
    expect(worker.processes()).toHaveLength(PROCESSES);
  });

  test('a scrape of /metrics through either process counts the requests of both', async () => {
    const count = (text: string): number =>
      Number(/^http_request_duration_seconds_count\{method="GET",route="\/health\/live",status_code="200"\} (\d+)$/m.exec(text)?.[1] ?? 0);
    const before = count((await fresh('GET', '/metrics')).text);
    const live = await inTurn(10, () => fresh('GET', '/health/live'));
    expect(pids(live).size).toBe(PROCESSES);
    const scrapes = await inTurn(2, () => fresh('GET', '/metrics'));
    expect(pids(scrapes).size).toBe(PROCESSES);
    expect(scrapes.map((scrape) => count(scrape.text))).toEqual([before + 10, before + 10]);
  });

  test('a session ended through one process refuses its token in every process at once', async () => {
    const s = await sandbox();
    const { tokens } = await new Customers(h, s).onboard();
    const before = await inTurn(4, () => fresh('GET', '/v1/wallet', { token: tokens.accessToken }));
    expect(before.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(pids(before).size).toBe(PROCESSES);

    const out = await fresh('POST', '/v1/auth/logout', { token: tokens.accessToken });
    expect(out.status).toBe(204);
    const after = await inTurn(4, () => fresh('GET', '/v1/wallet', { token: tokens.accessToken }));
    expect(after.map((a) => a.status)).toEqual([401, 401, 401, 401]);
    expect(pids(after).size).toBe(PROCESSES);
  });

  test('a clock moved through one process is the clock of every process at once', async () => {
    const s = await sandbox();
    const read = await inTurn(2, () => fresh('GET', '/v1/sandbox/clock', { token: s.secretKey }));
    expect(read.map((a) => a.body.offsetSeconds)).toEqual([0, 0]);
    const moved = await fresh('POST', '/v1/sandbox/clock/advance', { token: s.secretKey, body: { seconds: 86_400 } });
    expect(moved.status).toBe(200);
    const after = await inTurn(4, () => fresh('GET', '/v1/sandbox/clock', { token: s.secretKey }));
    expect(after.map((a) => a.body.offsetSeconds)).toEqual([86_400, 86_400, 86_400, 86_400]);
    expect(pids(after).size).toBe(PROCESSES);
  });

  test('the same idempotent request sent to both processes at once moves money once', async () => {
    const s = await sandbox();
    const wallet = (await h.post('/v1/sandbox/wallets', undefined, { token: s.secretKey })).body.id as string;
    const key = newId('req');
    const fund = () => fresh('POST', `/v1/sandbox/wallets/${wallet}/fund`, { token: s.secretKey, body: { amount: 700 }, key });
    const answers = await Promise.all(Array.from({ length: 8 }, fund));
    const done = answers.filter((a) => a.status === 201);
    expect(done.length).toBeGreaterThan(0);
    // A retry while the first is still running is told so; every finished answer is the first's.
    for (const other of answers.filter((a) => a.status !== 201))
      expect([other.status, other.body.code]).toEqual([409, 'idempotency_in_progress']);
    expect(new Set(done.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(await balanceOf(s, wallet)).toBe(700);
    const replayed = await inTurn(2, fund);
    expect(replayed.map((a) => a.body)).toEqual([done[0].body, done[0].body]);
    expect(await balanceOf(s, wallet)).toBe(700);
  });

  test('codes issued through both processes at once leave one live code', async () => {
    const s = await sandbox();
    const { walletId, tokens } = await new Customers(h, s).onboard();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => fresh('POST', '/v1/payment-codes', { token: tokens.accessToken, key: newId('req') })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(201));
    expect(pids(answers).size).toBe(PROCESSES);
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM barcode_payment_codes WHERE sandbox_id = $1 AND wallet_id = $2 AND status = 'active'`,
      [s.id, walletId],
    );
    expect(rows[0].n).toBe(1);
  });

  test('payments racing through both processes for one balance: exactly what it holds is paid', async () => {
    const s = await sandbox();
    const { walletId, tokens } = await new Customers(h, s).onboard();
    await h.post(`/v1/sandbox/wallets/${walletId}/fund`, { amount: 1_000 }, { token: s.secretKey });
    const store = await h.post('/v1/stores', { name: 'Seven Ginza', categoryCode: '5411', city: 'Tokyo' }, { token: s.secretKey });
    const payloads: string[] = [];
    for (let i = 0; i < 8; i += 1)
      payloads.push((await h.post('/v1/store-codes', { amount: 300 }, { token: store.body.apiKey })).body.payload);
    const answers = await Promise.all(
      payloads.map((payload) => fresh('POST', '/v1/wallet/pay-store-code', { token: tokens.accessToken, body: { payload } })),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(3);
    expect(pids(answers).size).toBe(PROCESSES);
    expect(await balanceOf(s, walletId)).toBe(100);
  });

  test('two workers relay every event once: each webhook is delivered once', async () => {
    const receiver = await Receiver.start();
    try {
      const s = await sandbox();
      const hook = await h.post(
        '/v1/webhook-endpoints',
        { url: `${receiver.url}/hook`, events: ['wallet.funded'] },
        { token: s.secretKey },
      );
      expect(hook.status).toBe(201);
      const wallet = (await h.post('/v1/sandbox/wallets', undefined, { token: s.secretKey })).body.id as string;
      await Promise.all(
        Array.from({ length: 30 }, () => fresh('POST', `/v1/sandbox/wallets/${wallet}/fund`, { token: s.secretKey, body: { amount: 10 } })),
      );
      const deadline = Date.now() + 30_000;
      while (receiver.received.length < 30 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      // Time for a second delivery of any of them, were there to be one.
      await new Promise((r) => setTimeout(r, 2_000));
      const ids = receiver.received.map((r) => (JSON.parse(r.body) as { id: string }).id);
      expect(ids).toHaveLength(30);
      expect(new Set(ids).size).toBe(30);
    } finally {
      await receiver.close();
    }
  });

  test('each periodic sweep runs once a period, whichever worker takes it', async () => {
    // ledger.expire-sweep is due every 5 s: over 12 s, two or three runs, each of its own period.
    const queue = openQueue(validateEnvironment(env), 'ledger');
    try {
      const since = Date.now();
      await new Promise((r) => setTimeout(r, 12_000));
      const runs = (await queue.getJobs(['completed', 'active'], 0, 1_000)).filter(
        (job) => job.name === 'ledger.expire-sweep' && (job.processedOn ?? 0) >= since,
      );
      expect(runs.length).toBeGreaterThanOrEqual(2);
      expect(runs.length).toBeLessThanOrEqual(3);
      // Two workers both running one period's sweep would put two runs within moments of each other.
      const started = runs.map((job) => job.processedOn as number).sort((a, b) => a - b);
      for (let i = 1; i < started.length; i += 1) expect(started[i] - started[i - 1]).toBeGreaterThan(2_500);
    } finally {
      await queue.close();
    }
  }, 30_000);

  test('an api and a worker process killed mid-load: every acknowledged request stands, retries finish the rest', async () => {
    const s = await sandbox();
    const wallet = (await h.post('/v1/sandbox/wallets', undefined, { token: s.secretKey })).body.id as string;
    const keys = Array.from({ length: 120 }, () => newId('req'));
    const fund = (key: string) =>
      fresh('POST', `/v1/sandbox/wallets/${wallet}/fund`, { token: s.secretKey, body: { amount: 1 }, key }).catch(() => null);
    const apiBefore = api.processes();
    const workerBefore = worker.processes();
    const acknowledged = new Set<string>();
    let next = 0;
    const loop = async (): Promise<void> => {
      while (next < keys.length) {
        const key = keys[next++];
        if (next === 40) {
          process.kill(apiBefore[0], 'SIGKILL');
          process.kill(workerBefore[0], 'SIGKILL');
        }
        const answer = await fund(key);
        if (answer?.status === 201) acknowledged.add(key);
      }
    };
    await Promise.all([loop(), loop(), loop(), loop()]);
    expect(await balanceOf(s, wallet)).toBeGreaterThanOrEqual(acknowledged.size);
    // The supervisors replace what died.
    await api.waitForProcesses(PROCESSES, [apiBefore[0]]);
    await worker.waitForProcesses(PROCESSES, [workerBefore[0]]);
    await ready();
    // A client retries what was not acknowledged, with the same keys, as long as it is told the request still
    // runs: a claim the killed process held lapses after its minute and the retry repeats its effects, once.
    const retried = async (key: string): Promise<number | undefined> => {
      const deadline = Date.now() + 90_000;
      for (;;) {
        const answer = await fund(key);
        if (answer?.status !== 409 || Date.now() > deadline) return answer?.status;
        expect(answer.body.code).toBe('idempotency_in_progress');
        await new Promise((r) => setTimeout(r, 2_000));
      }
    };
    const unacknowledged = keys.filter((k) => !acknowledged.has(k));
    expect(await Promise.all(unacknowledged.map(retried))).toEqual(unacknowledged.map(() => 201));
    expect(await balanceOf(s, wallet)).toBe(keys.length);
    // What the killed worker held is relayed by the others: no event stays behind.
    const deadline = Date.now() + 40_000;
    for (;;) {
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM outbox_events WHERE sandbox_id = $1 AND relayed_at IS NULL`, [s.id]);
      if (rows[0].n === 0) break;
      if (Date.now() > deadline) throw new Error(`${rows[0].n} events of the sandbox were never relayed`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const reconciliation = await h.get('/v1/reports/reconciliation', { token: s.secretKey });
    expect(reconciliation.body.ok).toBe(true);
  }, 180_000);

  test('SIGTERM to a supervisor stops its processes, gracefully, and then itself', async () => {
    const children = [...api.processes(), ...worker.processes()];
    for (const group of [api, worker]) group.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
    expect(await worker.exited).toBe(0);
    for (const pid of children) expect(() => process.kill(pid, 0)).toThrow();
  }, 60_000);
});

test('SIGTERM to a supervisor whose processes are still starting stops them all', async () => {
  const starting = start('api', 'apps/api/src/main.js', { ...env, PORT: String(await freePort()) });
  const children = await starting.waitForProcesses(PROCESSES);
  starting.child.kill('SIGTERM');
  expect(await starting.exited).toBe(0);
  await new Promise((r) => setTimeout(r, 500));
  for (const pid of children) expect(() => process.kill(pid, 0)).toThrow();
}, 60_000);
