import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { Customers } from '../support/customers.js';
import { freePort } from '../../tools/support/ports.js';
import { HttpClient } from '../support/harness.js';

/**
 * `npm start` as a new user runs it on a machine with only Node.js: no
 * DATABASE_URL, no REDIS_URL, a fresh directory. Its own process group, so
 * Ctrl-C is a SIGINT to the group, as a terminal sends it.
 */
const launcher = resolve('dist/tools/start.js');
/** A project directory as a clone makes it (mkdtemp's is private to its owner). */
const home = mkdtempSync(join(tmpdir(), 'wallet-sandbox-start-'));
chmodSync(home, 0o755);

interface Launch {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function launch(env: NodeJS.ProcessEnv, cwd = home): Launch {
  const child = spawn(process.execPath, [launcher], {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output: () => output, exited };
}

async function banner(
  running: Launch,
  timeoutMs = 120_000,
): Promise<Record<'admin' | 'database' | 'queues' | 'webhooks' | 'demo' | 'console' | 'api', string>> {
  const deadline = Date.now() + timeoutMs;
  while (!running.output().includes('Press Ctrl-C to stop.')) {
    if (Date.now() > deadline || running.child.exitCode !== null) throw new Error(`no banner:\n${running.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const field = (label: string): string => running.output().match(new RegExp(`^  ${label} +(.+)$`, 'm'))?.[1] ?? '';
  return {
    admin: field('Admin token'),
    database: field('Database'),
    queues: field('Queue backend'),
    webhooks: field('Webhooks'),
    demo: field('Demo sandbox'),
    console: field('Console'),
    api: field('API'),
  };
}

/** Every process started under `pid`, read from /proc. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const visit = (parent: number): void => {
    for (const [child, ppid] of parents) {
      if (ppid !== parent) continue;
      found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function listening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });
}

async function gone(pids: number[], timeoutMs = 30_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return pids.filter(alive);
}

afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('npm start on a machine with only Node.js', () => {
  let port: number;
  let databasePort: number;
  let demoSandbox: string;

  test('comes up on an embedded PostgreSQL with the queues in it; a customer tops up by card and pays at a store; Ctrl-C leaves nothing behind', async () => {
    port = await freePort();
    const running = launch({ PORT: String(port) });
    const shown = await banner(running);
    expect(shown.database).toMatch(/^embedded PostgreSQL \d+\.\d+ on 127\.0\.0\.1:\d+, data in \.wallet-sandbox\/postgres\/$/);
    expect(shown.queues).toMatch(/^PostgreSQL \(BullMQ's own backend/);
    // A development sandbox's webhooks reach this machine, and private networks only when allowed.
    expect(shown.webhooks).toBe('public addresses and this machine; private networks with WEBHOOK_ALLOW_PRIVATE_TARGETS=true');
    databasePort = Number(shown.database.match(/127\.0\.0\.1:(\d+)/)![1]);
    demoSandbox = shown.demo;
    // The .env it wrote holds a SECRETS_KEY of its own, apart from the admin token it prints, and never printed.
    const secretsKey = readFileSync(join(home, '.env'), 'utf8').match(/^SECRETS_KEY=(\S{32,})$/m)?.[1];
    expect(secretsKey).toBeDefined();
    expect(secretsKey).not.toBe(shown.admin);
    expect(running.output()).not.toContain(secretsKey);
    // The console's link opens the demo sandbox: its page is served, and the keys in its fragment are the demo's.
    const link = new URL(shown.console);
    expect(`${link.origin}${link.pathname}`).toBe(`http://localhost:${port}/console/`);
    const keys = new URLSearchParams(link.hash.slice(1));
    const page = await fetch(`http://127.0.0.1:${port}${link.pathname}`);
    expect(page.headers.get('content-type')).toContain('text/html');
    const demoView = await fetch(`http://127.0.0.1:${port}/v1/sandbox`, { headers: { authorization: `Bearer ${keys.get('sk')}` } });
    expect(((await demoView.json()) as { id: string }).id).toBe(shown.demo);
    expect(keys.get('pk')).toMatch(/^pk_test_/);
    // Nest's account of every module and route stays out of the log (LOG_LEVEL=debug shows it).
    expect(running.output()).not.toMatch(/RouterExplorer|InstanceLoader/);
    // The API's address as printed leads somewhere: /v1 links the pages, each of which answers; / opens the console.
    expect(shown.api).toBe(`http://localhost:${port}/v1`);
    const index = (await (await fetch(`http://127.0.0.1:${port}/v1`)).json()) as { links: Record<string, string> };
    for (const path of Object.values(index.links))
      expect({ path, status: (await fetch(`http://127.0.0.1:${port}${path}`)).status }).toEqual({ path, status: 200 });
    const root = await fetch(`http://127.0.0.1:${port}/`, { redirect: 'manual' });
    expect({ status: root.status, location: root.headers.get('location') }).toEqual({ status: 302, location: '/console/' });

    const http = new HttpClient(`http://127.0.0.1:${port}`);
    const created = await http.post('/v1/sandboxes', { name: 'bare-machine' }, { token: shown.admin });
    expect(created.status).toBe(201);
    const sandbox = created.body;
    const customers = new Customers(http, sandbox);
    const { who, walletId, tokens } = await customers.onboard();
    const me = { token: tokens.accessToken };

    const cardId = await customers.addCard(who, tokens.accessToken);
    const topup = await customers.stepUp(who, tokens.accessToken, () =>
      http.post('/v1/topups', { amount: 5_000, channel: 'card', cardId }, me),
    );
    expect(topup.status).toBe(202);
    for (let i = 0; i < 100 && (await http.get(`/v1/topups/${topup.body.id}`, me)).body.status === 'pending'; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await http.get(`/v1/topups/${topup.body.id}`, me)).body).toMatchObject({ status: 'succeeded' });

    const store = await http.post('/v1/stores', { name: 'Seven Ginza', categoryCode: '5411', city: 'Tokyo' }, { token: sandbox.secretKey });
    const code = await http.post('/v1/payment-codes', undefined, me);
    const payment = await http.post('/v1/payments', { code: code.body.code, amount: 1_200 }, { token: store.body.apiKey });
    expect(payment.status).toBe(201);
    const refund = await http.post(`/v1/payments/${payment.body.id}/refunds`, { amount: 200 }, { token: store.body.apiKey });
    expect(refund.status).toBe(201);
    expect((await http.get(`/v1/sandbox/wallets/${walletId}`, { token: sandbox.secretKey })).body).toMatchObject({ balance: 4_000 });
    const reconciliation = await http.get('/v1/reports/reconciliation', { token: sandbox.secretKey });
    expect(reconciliation.body).toMatchObject({ ok: true, discrepancies: [] });

    const started = descendants(running.child.pid!);
    expect(started.length).toBeGreaterThanOrEqual(4); // api, worker, the database's keeper and its server
    process.kill(-running.child.pid!, 'SIGINT');
    expect(await running.exited).toBe(130);
    expect(await gone(started)).toEqual([]);
    expect(await listening(port)).toBe(false);
    expect(await listening(databasePort)).toBe(false);
  });

  test('starts again on the same data: the schema is up to date and the demo sandbox is the same; SIGTERM stops it all', async () => {
    // As an .env written by an earlier version, without SECRETS_KEY: it gains one, and the rest stays as it was.
    const env = join(home, '.env');
    const earlier = readFileSync(env, 'utf8').replace(/^SECRETS_KEY=.*\n/m, '');
    writeFileSync(env, earlier);
    const running = launch({ PORT: String(port) });
    const shown = await banner(running);
    expect(running.output()).toContain('Added a fresh SECRETS_KEY to .env.');
    const now = readFileSync(env, 'utf8');
    expect(now.startsWith(earlier)).toBe(true);
    expect(now.match(/^SECRETS_KEY=\S{32,}$/gm)).toHaveLength(1);
    expect(running.output()).toContain('Database schema is up to date.');
    expect(shown.demo).toBe(demoSandbox);
    const started = descendants(running.child.pid!);
    process.kill(-running.child.pid!, 'SIGTERM');
    expect(await running.exited).toBe(143);
    expect(await gone(started)).toEqual([]);
  });

  test('a launcher killed outright takes the api, the worker and the database with it', async () => {
    const running = launch({ PORT: String(port) });
    await banner(running);
    const started = descendants(running.child.pid!);
    running.child.kill('SIGKILL');
    expect(await gone(started)).toEqual([]);
    expect(await listening(port)).toBe(false);
  });

  test('a busy port, an unreachable DATABASE_URL or QUEUE_BACKEND=redis without REDIS_URL stops it with a message naming the setting', async () => {
    const blocker = createServer().listen(port, '127.0.0.1');
    try {
      const busy = launch({ PORT: String(port) });
      expect(await busy.exited).toBe(1);
      expect(busy.output()).toContain(`PORT: 127.0.0.1:${port} is already in use`);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
    const unreachable = launch({ PORT: String(port), DATABASE_URL: 'postgres://postgres@127.0.0.1:1/wallet_sandbox' });
    expect(await unreachable.exited).toBe(1);
    expect(unreachable.output()).toContain('DATABASE_URL: cannot reach PostgreSQL at 127.0.0.1:1/wallet_sandbox');
    const noRedis = launch({ PORT: String(port), QUEUE_BACKEND: 'redis' });
    expect(await noRedis.exited).toBe(1);
    expect(noRedis.output()).toContain('QUEUE_BACKEND=redis needs REDIS_URL');
    for (const output of [unreachable.output(), noRedis.output()]) expect(output).not.toMatch(/^\s+at /m);
    // Three launches one after another, each loading the launcher: on 2 busy cores that alone can pass a minute.
  }, 180_000);

  (process.getuid?.() === 0 ? test : test.skip)(
    'as root, a project the postgres system user cannot enter is named, with what to do',
    async () => {
      const closed = mkdtempSync(join(tmpdir(), 'wallet-sandbox-closed-'));
      try {
        const running = launch({ PORT: String(port) }, closed);
        expect(await running.exited).toBe(1);
        expect(running.output()).toContain(`runs as the system user 'postgres', which cannot enter ${closed}`);
        expect(running.output()).toContain(`chmod o+x ${closed}`);
      } finally {
        rmSync(closed, { recursive: true, force: true });
      }
    },
  );
});
