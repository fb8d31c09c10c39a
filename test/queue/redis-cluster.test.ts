import { afterAll, describe, expect, test } from '@jest/globals';
import { type Job, type Queue, Worker } from 'bullmq';
import { RateLimiterRes } from 'rate-limiter-flexible';
import {
  Environment,
  JOB_CATALOG,
  type RedisClient,
  ThrottleCounters,
  askEveryServer,
  openQueue,
  openRedis,
  queueBackendOf,
  validateEnvironment,
} from '#core';
import { RedisNotices } from '../../libs/core/src/notices/redis-notices.js';
import { cutNoticeSubscriptions } from '../support/redis.js';
// The worker's modules, whose loading registers every queue in JOB_CATALOG.
import '../../apps/worker/src/worker.module.js';

/**
 * What the sandbox relies on from a Redis Cluster (REDIS_CLUSTER_NODES; see
 * .ci/redis-cluster): every queue in one hash slot of its own, the queues
 * spread over the masters, throttles that count as one across processes,
 * notices that reach every process. Each test works under a key prefix of
 * its own.
 */
const onCluster = process.env.REDIS_CLUSTER_NODES ? describe : describe.skip;
const env = validateEnvironment(process.env);
const closing: Array<() => Promise<unknown>> = [];

/** The run's settings under a key prefix of the test's own. */
function settingsFor(test: string): Environment {
  return Object.assign(new Environment(), env, { QUEUE_PREFIX: `${env.QUEUE_PREFIX}_${test}` });
}

/** A client of the cluster as one process of the deployment opens it. */
function processClient(): RedisClient {
  const redis = openRedis(env, { maxRetriesPerRequest: 2 });
  closing.push(() => redis.quit());
  return redis;
}

/** Every key under the prefix, by the master that holds it. */
async function keysByMaster(redis: RedisClient, prefix: string): Promise<Map<string, string[]>> {
  const found = await askEveryServer(redis, async (master) => {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await master.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return [`${master.options.host}:${master.options.port}`, keys] as const;
  });
  return new Map(found.filter(([, keys]) => keys.length > 0));
}

afterAll(async () => {
  for (const close of closing.reverse()) await close();
});

onCluster('the queues, throttles and notices on a Redis Cluster', () => {
  test('jobs flow through a queue whose keys all share its hash tag', async () => {
    const settings = settingsFor('flow');
    const queue = openQueue(settings, 'cluster-flow');
    const { options, factory } = queueBackendOf(settings, 'cluster-flow');
    const done: string[] = [];
    const worker = new Worker(
      'cluster-flow',
      async (job: Job) => void done.push(job.id as string),
      { ...options, concurrency: 8 },
      factory,
    );
    closing.push(async () => {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
    });
    await queue.addBulk(Array.from({ length: 50 }, (_, i) => ({ name: 'flow', data: { i }, opts: { jobId: `flow-${i}` } })));
    for (let i = 0; i < 500 && done.length < 50; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(done).toHaveLength(50);
    expect(await queue.getJobCounts('completed', 'waiting', 'active', 'failed')).toMatchObject({ waiting: 0, active: 0, failed: 0 });

    const redis = processClient();
    const keys = [...(await keysByMaster(redis, settings.QUEUE_PREFIX)).values()].flat();
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((key) => key.startsWith(`${settings.QUEUE_PREFIX}:{cluster-flow}:cluster-flow:`))).toBe(true);
  });

  test("each of the sandbox's queues lives on one master, and the queues spread over more than one", async () => {
    const settings = settingsFor('spread');
    const queues: Queue[] = JOB_CATALOG.queues().map((name) => openQueue(settings, name));
    closing.push(async () => {
      for (const queue of queues) {
        await queue.obliterate({ force: true });
        await queue.close();
      }
    });
    // A job each, with no worker: every queue writes its keys.
    for (const queue of queues) await queue.add('spread-check', {});
    const byMaster = await keysByMaster(processClient(), settings.QUEUE_PREFIX);
    const mastersOf = new Map<string, Set<string>>();
    for (const [master, keys] of byMaster) {
      for (const key of keys) {
        const queue = /^[^{]*\{([^}]+)\}:/.exec(key)?.[1] as string;
        mastersOf.set(queue, (mastersOf.get(queue) ?? new Set()).add(master));
      }
    }
    expect([...mastersOf.keys()].sort()).toEqual(JOB_CATALOG.queues().sort());
    for (const [queue, masters] of mastersOf) expect({ queue, masters: masters.size }).toEqual({ queue, masters: 1 });
    expect(byMaster.size).toBeGreaterThan(1);
  });

  test('a throttle counts as one across two processes and holds under a burst; a sandbox reset wipes its counters on every master', async () => {
    const sandboxId = `sbx_cluster_${process.pid}_${Date.now()}`;
    // Two processes' counters, each on a connection of its own; the PostgreSQL store is not used on Redis.
    const counters = [processClient(), processClient()].map(
      (redis) => new ThrottleCounters(redis, undefined as never, undefined as never, settingsFor('throttle')),
    );
    const limiters = counters.map((c) => c.limiter('burst', 20, 60));
    const tries = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => limiters[i % 2].consume(sandboxId)));
    expect(tries.filter((t) => t.status === 'fulfilled')).toHaveLength(20);
    for (const refused of tries.filter((t) => t.status === 'rejected')) expect(refused.reason).toBeInstanceOf(RateLimiterRes);
    expect((await limiters[1].get(sandboxId))?.consumedPoints).toBe(200);

    // Counters under several names: their keys fall in several slots, most likely on several masters.
    const names = Array.from({ length: 12 }, (_, i) => `name-${i}`);
    for (const name of names) await counters[0].limiter(name, 5, 60).consume(sandboxId);
    const redis = processClient();
    expect([...(await keysByMaster(redis, `${env.QUEUE_PREFIX}_throttle:rl`)).values()].flat()).toHaveLength(names.length + 1);
    await counters[1].wipe(sandboxId);
    expect(await keysByMaster(redis, `${env.QUEUE_PREFIX}_throttle:rl`)).toEqual(new Map());
    expect(await limiters[0].get(sandboxId)).toBeNull();
  });

  test("a notice one process publishes reaches another; one that lost its node's connection is told, then hears again", async () => {
    const settings = settingsFor('notices');
    const [publisher, listener] = [new RedisNotices(processClient(), settings), new RedisNotices(processClient(), settings)];
    closing.push(() => Promise.all([publisher.onApplicationShutdown(), listener.onApplicationShutdown()]));
    const heard: string[] = [];
    let missed = 0;
    await listener.subscribe('sandbox-changed', { message: (payload) => heard.push(payload), missed: () => missed++ });
    await until(async () => {
      await publisher.publish('sandbox-changed', 'sbx_first');
      return heard.includes('sbx_first');
    });

    expect(await cutNoticeSubscriptions(settings.QUEUE_PREFIX)).toBe(1);
    await until(async () => missed > 0);
    await until(async () => {
      await publisher.publish('sandbox-changed', 'sbx_after');
      return heard.includes('sbx_after');
    });
  });
});

async function until(condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
