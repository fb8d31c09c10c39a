import {
  type BackendFactory,
  Queue,
  type QueueOptions,
  createPostgresBackend,
  createRedisBackend,
  runMigrations,
  setDefaultBackendFactory,
} from 'bullmq';
import pg from 'pg';
import type { Environment } from '../config/environment.js';
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
    const close = backend.close.bind(backend);
    let closed = false;
    backend.close = async (force?: boolean) => {
      await close(force);
      if (closed) return;
      closed = true;
      if (--lease.users > 0) return;
      sharedPools.delete(databaseUrl);
      await lease.pool.end();
    };
    return backend;
  };
}

/** How a Queue, a Worker or QueueEvents reaches the deployment's queue backend: its options and BullMQ's backend factory. */
export function queueBackendOf(env: Environment): { options: QueueConnection; factory: BackendFactory } {
  if (env.queueBackend() === 'redis') {
    return { options: { connection: { url: env.REDIS_URL }, prefix: env.QUEUE_PREFIX }, factory: createRedisBackend as BackendFactory };
  }
  // The factory brings the connection; the option is a placeholder the queue classes require.
  return { options: { connection: {} }, factory: sharedPoolBackend(env.DATABASE_URL) };
}

/**
 * For the api and the worker: makes the deployment's backend BullMQ's
 * process-wide one (@nestjs/bullmq builds its queues and workers without
 * naming a backend) and returns the options to build them with.
 */
export function useQueueBackend(env: Environment): QueueConnection {
  const { options, factory } = queueBackendOf(env);
  setDefaultBackendFactory(factory);
  return options;
}

/** A Queue client of one of the deployment's queues, outside Nest (tests, tools). */
export function openQueue(env: Environment, name: string): Queue {
  const { options, factory } = queueBackendOf(env);
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
