import { describe, expect, test } from '@jest/globals';
import { Database, askEveryServer } from '#core';
import { useHarness } from '../support/harness.js';
import { openTestRedis } from '../support/redis.js';

const h = useHarness();
const backend = process.env.QUEUE_BACKEND as 'redis' | 'postgres';

describe('health', () => {
  test('live and ready answer 200 with PostgreSQL and the queues up, naming the queue backend', async () => {
    expect((await h.get('/health/live')).body).toEqual({ status: 'ok' });
    const ready = await h.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.details).toMatchObject({
      database: { status: 'up' },
      queues: { status: 'up', backend, ...(backend === 'redis' ? { maxmemoryPolicy: 'noeviction' } : {}) },
      workers: {
        status: 'up',
        workers: expect.any(Number),
        backlog: { waiting: expect.any(Number), active: expect.any(Number), delayed: expect.any(Number) },
      },
    });
    expect(ready.body.details.workers.workers).toBeGreaterThanOrEqual(1);
  });

  (backend === 'redis' ? test : test.skip)('ready is not ready while Redis may evict keys (and so drop queued jobs)', async () => {
    // On a cluster, one master that may evict is enough to lose jobs: the first one is set.
    const redis = openTestRedis();
    const [server] = await askEveryServer(redis, async (found) => found);
    const [, original] = (await server.config('GET', 'maxmemory-policy')) as [string, string];
    try {
      await server.config('SET', 'maxmemory-policy', 'allkeys-lru');
      const ready = await h.get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.code).toBe('service_unavailable');
      expect(JSON.stringify(ready.body.health)).toContain('allkeys-lru');
    } finally {
      await server.config('SET', 'maxmemory-policy', original);
      await redis.quit();
    }
    expect((await h.get('/health/ready')).status).toBe(200);
  });
});

describe('front door', () => {
  test('/v1 names the console, the reference, the contract and health', async () => {
    const index = await h.get('/v1');
    expect(index.status).toBe(200);
    expect(index.body).toEqual({
      object: 'api_index',
      name: 'Wallet Sandbox',
      links: { console: '/console/', docs: '/docs', openapi: '/openapi.json', health: '/health/ready', metrics: '/metrics' },
    });
  });
});

describe('security headers', () => {
  test('an API answer, success or problem, loads nothing, runs nothing and cannot be framed', async () => {
    const sandbox = await h.createSandbox();
    for (const reply of [await h.get('/v1/sandbox/clock', { token: sandbox.secretKey }), await h.get('/v1/sandbox/clock')]) {
      const csp = reply.headers.get('content-security-policy') ?? '';
      expect(csp.split(';')).toEqual(expect.arrayContaining(["default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'"]));
      expect({
        frame: reply.headers.get('x-frame-options'),
        sniff: reply.headers.get('x-content-type-options'),
        referrer: reply.headers.get('referrer-policy'),
        resources: reply.headers.get('cross-origin-resource-policy'),
      }).toEqual({ frame: 'DENY', sniff: 'nosniff', referrer: 'no-referrer', resources: 'same-origin' });
      expect(reply.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
    }
  });
});

describe('observability', () => {
  test('every response carries a request id; a well-formed client id is kept, a malformed one replaced', async () => {
    const generated = await h.get('/health/live');
    expect(generated.headers.get('request-id')).toMatch(/^req_[0-9a-z]{26}$/);
    const kept = await h.get('/health/live', { headers: { 'x-request-id': 'abc-123' } });
    expect(kept.headers.get('request-id')).toBe('abc-123');
    const replaced = await h.get('/health/live', { headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(replaced.headers.get('request-id')).toMatch(/^req_/);
  });

  test('/metrics exposes HTTP latency by route, queue depths and the outbox backlog', async () => {
    const sandbox = await h.createSandbox();
    await h.get('/v1/sandbox/clock', { token: sandbox.secretKey });
    const metrics = await h.get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(metrics.text).toMatch(/http_request_duration_seconds_bucket\{[^}]*method="GET",route="\/v1\/sandbox\/clock",status_code="200"/);
    expect(metrics.text).toMatch(/queue_jobs\{queue="ledger",state="waiting"\} \d+/);
    expect(metrics.text).toMatch(/queue_jobs\{queue="housekeeping",state="active"\} \d+/);
    expect(metrics.text).toMatch(/outbox_backlog \d+/);
  });

  test("/metrics counts the statements sent to PostgreSQL, each request's among them", async () => {
    const sandbox = await h.createSandbox();
    const roundTrips = async (): Promise<number> => Number(/^db_round_trips_total (\d+)$/m.exec((await h.get('/metrics')).text)?.[1]);
    const before = await roundTrips();
    await h.post('/v1/stores', { name: 'Counted' }, { token: sandbox.secretKey });
    const after = await roundTrips();
    // The key lookup, BEGIN, the store's and its key's rows, COMMIT, at least; the scrape's own outbox count too.
    expect(after - before).toBeGreaterThanOrEqual(5);
  });
});

describe('statements', () => {
  test('a statement prepared before a migration changed its table still runs, and sees the new column', async () => {
    const db = h.api.get(Database);
    const table = `prepared_probe_${process.pid}`;
    await db.rows(`CREATE TABLE ${table} (id int PRIMARY KEY)`);
    try {
      await db.rows(`INSERT INTO ${table} (id) VALUES (1)`);
      const read = () => db.rows<Record<string, unknown>>(`SELECT * FROM ${table} WHERE id = $1`, [1]);
      // Enough at once that every pooled connection prepares it.
      const everyConnection = () => Promise.all(Array.from({ length: 40 }, read));
      expect(new Set((await everyConnection()).map((rows) => JSON.stringify(rows)))).toEqual(new Set(['[{"id":1}]']));
      await db.rows(`ALTER TABLE ${table} ADD COLUMN note text NOT NULL DEFAULT 'added'`);
      expect(new Set((await everyConnection()).map((rows) => JSON.stringify(rows)))).toEqual(new Set(['[{"id":1,"note":"added"}]']));
    } finally {
      await db.rows(`DROP TABLE ${table}`);
    }
  });
});
