import {
  type BackendFactory,
  type IQueueBackend,
  Queue,
  type QueueOptions,
  createPostgresBackend,
  createRedisBackend,
  runMigrations,
  setDefaultBackendFactory,
} from 'bullmq';
import pg from 'pg';
import type { Environment } from '../config/environment.js';
import { openRedis } from '../redis/redis.js';
import { JOB_CATALOG } from './job-catalog.js';

/** BullMQ's PostgreSQL backend keeps its tables in this schema of the sandbox's own database. */
export const POSTGRES_QUEUE_SCHEMA = 'bullmq';

/** Connections a process's queues may use at once for fetching, adding and finishing jobs (jobs do their work on the sandbox's own pool). */
const POSTGRES_QUEUE_WORK_CONNECTIONS = 6;

export type QueueConnection = Pick<QueueOptions, 'connection' | 'prefix'>;

/**
 * One connection pool per process and database for every PostgreSQL-backed
 * Queue, Worker and QueueEvents, instead of a pool and a listening
 * connection each: a worker's LISTEN connection is one of the pool's, so the
 * pool holds one per queue besides the working ones. It ends when the last
 * of its queues closes, whatever order the process closes them in.
 */
const sharedPools = new Map<string, { pool: pg.Pool; users: number }>();

function sharedPoolBackend(databaseUrl: string): BackendFactory {
  return (name, opts, factoryOptions) => {
    let shared = sharedPools.get(databaseUrl);
    if (!shared) {
      const pool = new pg.Pool({
        connectionString: databaseUrl,
        max: JOB_CATALOG.queues().length + POSTGRES_QUEUE_WORK_CONNECTIONS,
        // BullMQ's SQL names its tables unqualified: a pool it did not build must point them at its schema.
        options: `-c search_path=${POSTGRES_QUEUE_SCHEMA}`,
        keepAlive: true,
        application_name: 'wallet-sandbox-queues',
      });
      pool.on('error', () => undefined);
      // Every Queue, Worker and QueueEvents sharing the pool listens for its errors: many listeners by design.
      pool.setMaxListeners(0);
      shared = { pool, users: 0 };
      sharedPools.set(databaseUrl, shared);
    }
    const lease = shared;
    lease.users++;
    const backend = createPostgresBackend(name, { ...opts, connection: lease.pool }, factoryOptions);
    return releasedOnClose(backend, async () => {
      if (--lease.users > 0) return;
      sharedPools.delete(databaseUrl);
      await lease.pool.end();
    });
  };
}

/**
 * BullMQ reaches a Redis Cluster only through a client it is handed, and
 * leaves that client open: each Queue, Worker and QueueEvents gets one of
 * its own, closed with it. (A worker's blocking connection is BullMQ's own
 * copy of it.)
 */
function clusterBackend(env: Environment): BackendFactory {
  return (name, opts, factoryOptions) => {
    // BullMQ refuses a worker's connection that gives up on a command while Redis is away.
    const cluster = openRedis(env, { maxRetriesPerRequest: null });
    const backend = createRedisBackend(name, { ...opts, connection: cluster }, factoryOptions);
    return releasedOnClose(backend, () =>
      cluster.quit().then(
        () => undefined,
        () => cluster.disconnect(),
      ),
    );
  };
}

/** Has `release` run once, after the backend has closed, for what the backend was lent. */
function releasedOnClose<B extends IQueueBackend>(backend: B, release: () => Promise<void>): B {
  const close = backend.close.bind(backend);
  let released = false;
  backend.close = async (force?: boolean) => {
    await close(force);
    if (released) return;
    released = true;
    await release();
  };
  return backend;
}

/**
 * The Redis key prefix of a queue's keys: QUEUE_PREFIX; on a Redis Cluster
 * followed by the queue's name as a hash tag, `<prefix>:{<queue>}`: BullMQ's
 * scripts need all of a queue's keys in one slot, and a tag per queue spreads
 * the queues over the cluster's masters. None on PostgreSQL.
 */
export function queuePrefix(env: Environment, queue: string): string | undefined {
  if (env.queueBackend() === 'postgres') return undefined;
  return env.redisClusterNodes().length > 0 ? `${env.QUEUE_PREFIX}:{${queue}}` : env.QUEUE_PREFIX;
}

/** How a Queue, a Worker or QueueEvents of the queue reaches the deployment's queue backend: its options and BullMQ's backend factory. */
export function queueBackendOf(env: Environment, queue: string): { options: QueueConnection; factory: BackendFactory } {
  const { connection, factory } = connectionOf(env);
  return { options: { connection, prefix: queuePrefix(env, queue) }, factory };
}

function connectionOf(env: Environment): { connection: QueueConnection['connection']; factory: BackendFactory } {
  // The PostgreSQL and cluster factories bring the connection; the option is a placeholder the queue classes require.
  if (env.queueBackend() === 'postgres') return { connection: {}, factory: sharedPoolBackend(env.DATABASE_URL) };
  if (env.redisClusterNodes().length > 0) return { connection: {}, factory: clusterBackend(env) };
  return { connection: { url: env.REDIS_URL }, factory: createRedisBackend as BackendFactory };
}

/**
 * For the api and the worker: makes the deployment's backend BullMQ's
 * process-wide one (@nestjs/bullmq builds its queues and workers without
 * naming a backend) and returns the connection option to build them with;
 * each queue's prefix is registered with the queue (JobsModule).
 */
export function useQueueBackend(env: Environment): Pick<QueueConnection, 'connection'> {
  const { connection, factory } = connectionOf(env);
  setDefaultBackendFactory(factory);
  return { connection };
}

/** A Queue client of one of the deployment's queues, outside Nest (tests, tools). */
export function openQueue(env: Environment, name: string): Queue {
  const { options, factory } = queueBackendOf(env, name);
  // Typed as BullMQ types its default (Redis) queues; the calls used are the backend-neutral ones.
  return new Queue(name, options, factory) as unknown as Queue;
}

/** Creates or upgrades BullMQ's tables in the database (the migrate command runs it on the PostgreSQL backend). */
export async function migrateQueueSchema(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'wallet-sandbox-migrate' });
  await client.connect();
  try {
    return await runMigrations(client, POSTGRES_QUEUE_SCHEMA);
  } finally {
    await client.end();
  }
}
