import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { builtProcessEnv } from '../support/process-env.js';

/** The built processes, run as users run them; from an empty directory so no .env is picked up. */
const root = resolve('.');
const entry = {
  api: join(root, 'dist/apps/api/src/main.js'),
  worker: join(root, 'dist/apps/worker/src/main.js'),
  migrate: join(root, 'dist/apps/migrate/src/main.js'),
  rotateKeys: join(root, 'dist/apps/migrate/src/rotate-keys.js'),
};
const cwd = mkdtempSync(join(tmpdir(), 'wallet-sandbox-'));
const baseEnv = (): NodeJS.ProcessEnv => ({ ...builtProcessEnv('proc'), LOG_LEVEL: 'info', PORT: '0' });

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(script: string, env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, [script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output: () => output, exited };
}

async function waitForOutput(running: Running, pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = running.output().match(pattern);
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`no ${pattern} in output:\n${running.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('configuration', () => {
  test.each(['api', 'worker', 'migrate'] as const)('%s refuses to start without DATABASE_URL and names it', async (name) => {
    const env = baseEnv();
    delete env.DATABASE_URL;
    const running = start(entry[name], env);
    expect(await running.exited).not.toBe(0);
    expect(running.output()).toContain('DATABASE_URL is required but missing');
  });

  test('every bad value is named at once', async () => {
    const running = start(entry.api, {
      ...baseEnv(),
      REDIS_URL: 'http://nope',
      REDIS_CLUSTER_NODES: undefined,
      ADMIN_TOKEN: 'short',
      PORT: 'x',
    });
    expect(await running.exited).toBe(1);
    expect(running.output()).toMatch(/REDIS_URL[\s\S]*ADMIN_TOKEN|ADMIN_TOKEN[\s\S]*REDIS_URL/);
    expect(running.output()).toContain('PORT');
  });

  test.each(['api', 'worker', 'migrate'] as const)(
    '%s in production refuses to start without SECRETS_KEY, or with a placeholder',
    async (name) => {
      const missing = start(entry[name], { ...baseEnv(), NODE_ENV: 'production', SECRETS_KEY: undefined });
      expect(await missing.exited).toBe(1);
      expect(missing.output()).toContain('SECRETS_KEY is required in production');
      const placeholder = start(entry[name], {
        ...baseEnv(),
        NODE_ENV: 'production',
        SECRETS_KEY: 'change-me-to-another-long-random-string',
      });
      expect(await placeholder.exited).toBe(1);
      expect(placeholder.output()).toContain('SECRETS_KEY is a placeholder');
      expect(placeholder.output()).not.toMatch(/^\s+at /m);
    },
  );
});

describe('npm run rotate-keys', () => {
  test('re-seals every sealed column under the current key and says what it did, column by column', async () => {
    const running = start(entry.rotateKeys, baseEnv());
    expect({ exited: await running.exited, output: running.output() }).toMatchObject({ exited: 0 });
    expect(running.output()).toMatch(/^sealing key \S{8} \(SECRETS_KEY\)$/m);
    for (const column of ['TOTP seeds', 'payment codes', 'webhook signing secrets', 'refund bank accounts', 'idempotent responses']) {
      expect(running.output()).toMatch(new RegExp(`^  ${column}: \\d+ re-sealed, \\d+ already current, 0 unopenable$`, 'm'));
    }
  });
});

describe('services the settings name', () => {
  test.each(['api', 'worker', 'migrate'] as const)(
    '%s stops naming DATABASE_URL when PostgreSQL does not answer there, without a stack trace',
    async (name) => {
      const running = start(entry[name], { ...baseEnv(), DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' });
      expect(await running.exited).toBe(1);
      expect(running.output()).toContain('DATABASE_URL: cannot use PostgreSQL at 127.0.0.1:1/nowhere');
      expect(running.output()).not.toMatch(/^\s+at /m);
    },
  );

  test.each([
    ['api', 'REDIS_URL', 'redis://127.0.0.1:1', 'Redis at 127.0.0.1:1'],
    ['worker', 'REDIS_URL', 'redis://127.0.0.1:1', 'Redis at 127.0.0.1:1'],
    ['api', 'REDIS_CLUSTER_NODES', '127.0.0.1:1,127.0.0.1:2', 'Redis Cluster at 127.0.0.1:1, 127.0.0.1:2'],
    ['worker', 'REDIS_CLUSTER_NODES', '127.0.0.1:1,127.0.0.1:2', 'Redis Cluster at 127.0.0.1:1, 127.0.0.1:2'],
  ] as const)('%s stops naming %s when the queues are on a Redis that does not answer', async (name, setting, value, where) => {
    const redis = { REDIS_URL: undefined, REDIS_CLUSTER_NODES: undefined, [setting]: value };
    const running = start(entry[name], { ...baseEnv(), QUEUE_BACKEND: 'redis', ...redis });
    expect(await running.exited).toBe(1);
    expect(running.output()).toContain(`${setting}: cannot use ${where}`);
    expect(running.output()).not.toMatch(/^\s+at /m);
  });

  test('the api stops naming PORT when its port is taken', async () => {
    const first = start(entry.api, baseEnv());
    const port = (await waitForOutput(first, /Server listening at http:\/\/127\.0\.0\.1:(\d+)/))[1];
    try {
      const second = start(entry.api, { ...baseEnv(), PORT: port });
      expect(await second.exited).toBe(1);
      expect(second.output()).toContain(`PORT: 127.0.0.1:${port} is already in use`);
      expect(second.output()).not.toMatch(/^\s+at /m);
    } finally {
      first.child.kill('SIGTERM');
      await first.exited;
    }
  });
});

describe('the api process', () => {
  let api: Running;
  let url: string;

  beforeAll(async () => {
    api = start(entry.api, baseEnv());
    url = (await waitForOutput(api, /Server listening at (http:\/\/127\.0\.0\.1:\d+)/))[1];
  });
  afterAll(async () => {
    api.child.kill('SIGTERM');
    await api.exited;
  });

  test('serves the OpenAPI document and Swagger UI', async () => {
    const doc = (await (await fetch(`${url}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      servers: unknown;
    };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/sandboxes',
        '/v1/sandbox/clock',
        '/v1/sandbox/clock/advance',
        '/v1/sandbox/messages',
        '/v1/sandbox/reset',
        '/v1/sandbox/wallets/{walletId}/fund',
        '/v1/events',
        '/v1/events/{id}',
        '/v1/reports/reconciliation',
        '/v1/service',
        '/v1/service/transitions',
        '/v1/refund-claims',
        '/v1/refund-claims/{id}/hold',
        '/v1/reports/refunds',
        '/v1/webhook-endpoints',
        '/v1/events/{id}/redeliver',
        '/v1/holds',
        '/v1/fraud/alerts',
        '/v1/account/email/confirm',
      ]),
    );
    // The operator's hold is a POST beside the list.
    expect(Object.keys((doc.paths['/v1/holds'] as Record<string, unknown>) ?? {}).sort()).toEqual(['get', 'post']);
    // The typed client is generated from this document: `npm run client:generate` after any change to the API.
    // Its server is where it was fetched from; the committed copy names npm start's.
    expect(doc.servers).toEqual([{ url, description: 'This sandbox' }]);
    const committed = JSON.parse(readFileSync('packages/client/openapi.json', 'utf8')) as typeof doc;
    expect(committed.servers).toEqual([{ url: 'http://localhost:3000', description: 'npm start on this machine' }]);
    expect({ ...committed, servers: [] }).toEqual({ ...doc, servers: [] });
    const ui = await fetch(`${url}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });

  test('with METRICS_TOKEN set, /metrics answers only its bearer', async () => {
    const token = 'metrics-scraper-token-0123456789';
    const guarded = start(entry.api, { ...baseEnv(), METRICS_TOKEN: token });
    try {
      const at = (await waitForOutput(guarded, /Server listening at (http:\/\/127\.0\.0\.1:\d+)/))[1];
      expect((await fetch(`${at}/metrics`)).status).toBe(401);
      const wrong = await fetch(`${at}/metrics`, { headers: { authorization: 'Bearer not-the-metrics-token' } });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('content-type')).toContain('application/problem+json');
      const scraped = await fetch(`${at}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('http_request_duration_seconds');
      // Without it, as on the api above, anyone may scrape.
      expect((await fetch(`${url}/metrics`)).status).toBe(200);
    } finally {
      guarded.child.kill('SIGTERM');
      await guarded.exited;
    }
  });

  test('the console, Swagger UI and Bull Board cannot be framed and load only what their pages need', async () => {
    const admin = { authorization: `Bearer ${process.env.ADMIN_TOKEN}` };
    const policies: Record<string, string> = {};
    for (const path of ['/console/', '/docs', '/admin/queues']) {
      const page = await fetch(`${url}${path}`, { headers: admin });
      expect({ path, status: page.status, type: page.headers.get('content-type') }).toEqual({
        path,
        status: 200,
        type: expect.stringContaining('text/html'),
      });
      expect({ path, frame: page.headers.get('x-frame-options'), sniff: page.headers.get('x-content-type-options') }).toEqual({
        path,
        frame: 'DENY',
        sniff: 'nosniff',
      });
      policies[path] = page.headers.get('content-security-policy') ?? '';
      expect(policies[path].split(';')).toEqual(expect.arrayContaining(["frame-ancestors 'none'", "object-src 'none'"]));
      // Nothing a page runs comes from elsewhere or from inline script.
      expect(policies[path]).toContain("script-src 'self';");
      expect(policies[path]).not.toContain('unsafe-eval');
    }
    // The console talks to this origin only and sets no inline style; its QR codes are data: images.
    expect(policies['/console/'].split(';')).toEqual(
      expect.arrayContaining(["default-src 'self'", "style-src 'self'", "connect-src 'self'", "img-src 'self' data: blob:"]),
    );
    expect((await fetch(`${url}/console/`)).headers.get('referrer-policy')).toBe('no-referrer');
    // Refused before the dashboard: the problem is as unframable as the page.
    expect((await fetch(`${url}/admin/queues`)).headers.get('x-frame-options')).toBe('DENY');
  });

  test('Bull Board sits behind the admin token', async () => {
    expect((await fetch(`${url}/admin/queues`)).status).toBe(401);
    expect((await fetch(`${url}/admin/queues`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const bearer = await fetch(`${url}/admin/queues`, { headers: { authorization: `Bearer ${process.env.ADMIN_TOKEN}` } });
    expect(bearer.status).toBe(200);
    const basic = Buffer.from(`admin:${process.env.ADMIN_TOKEN}`).toString('base64');
    const queues = await fetch(`${url}/admin/queues/api/queues`, { headers: { authorization: `Basic ${basic}` } });
    expect(queues.status).toBe(200);
    expect(JSON.stringify(await queues.json())).toContain('ledger');
  });

  test('without TRUSTED_PROXIES, X-Forwarded-For cannot choose the client IP the throttles see', async () => {
    const json = { 'content-type': 'application/json' };
    const created = await fetch(`${url}/v1/sandboxes`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${process.env.ADMIN_TOKEN}` },
      body: JSON.stringify({ name: 'proxy-check' }),
    });
    const sandbox = (await created.json()) as { secretKey: string; publishableKey: string };
    const login = await fetch(`${url}/v1/auth/login`, {
      method: 'POST',
      headers: { ...json, 'x-publishable-key': sandbox.publishableKey, 'x-forwarded-for': '203.0.113.5' },
      body: JSON.stringify({ email: 'nobody@example.test', password: 'any-password-1', deviceId: 'a-device-id-of-16-chars' }),
    });
    expect(login.status).toBe(401);
    const events = (await (
      await fetch(`${url}/v1/events?type=auth.login_failed`, { headers: { authorization: `Bearer ${sandbox.secretKey}` } })
    ).json()) as {
      data: Array<{ data: { ip: string } }>;
    };
    expect(events.data[0].data.ip).toBe('127.0.0.1');
    // The api says so, once however many come: the proxy's address and the setting that fixes it.
    await fetch(`${url}/health/live`, { headers: { 'x-forwarded-for': '203.0.113.6' } });
    const warnings = api
      .output()
      .match(/through a proxy at [^ ]+ \(X-Forwarded-For\) but TRUSTED_PROXIES is unset.*?Set TRUSTED_PROXIES=\S+/g);
    expect(warnings).toHaveLength(1);
    expect(warnings![0]).toMatch(/Set TRUSTED_PROXIES=(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)/);
  });

  test('writes JSON logs carrying the request id', async () => {
    await fetch(`${url}/health/live`, { headers: { 'x-request-id': 'trace-me-1' } });
    const line = (await waitForOutput(api, /^.*"requestId":"trace-me-1".*$/m))[0];
    expect(JSON.parse(line)).toMatchObject({ requestId: 'trace-me-1', route: '/health/live', status: 200 });
  });
});

describe('the worker process', () => {
  test('starts, then on SIGTERM finishes its jobs, closes its queues and exits', async () => {
    const worker = start(entry.worker, baseEnv());
    await waitForOutput(worker, /worker started/);
    const signalled = new Promise<string | null>((done) => worker.child.on('exit', (_code, signal) => done(signal)));
    worker.child.kill('SIGTERM');
    await worker.exited;
    // Nest runs the shutdown hooks, then re-raises the signal so the exit reports it.
    expect(await signalled).toBe('SIGTERM');
    expect(worker.output()).toMatch(/SIGTERM: finishing active jobs[\s\S]*worker stopped/);
    expect(worker.output()).not.toMatch(/"level":50/);
  });
});
