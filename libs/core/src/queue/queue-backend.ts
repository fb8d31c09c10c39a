import {
  type BackendFactory,
  type PostgresPoolConfig,
  Queue,
  type QueueOptions,
  createPostgresBackend,
  createRedisBackend,
  runMigrations,
  setDefaultBackendFactory,
} from 'bullmq';
import pg from 'pg';
import type { Environment } from '../config/environment.js';

/** BullMQ's PostgreSQL backend keeps its tables in this schema of the sandbox's own database. */
export const POSTGRES_QUEUE_SCHEMA = 'bullmq';

/**
 * Connections each PostgreSQL-backed Queue or Worker may hold besides its
 * LISTEN connection: a worker's jobs spend their time in the sandbox's own
 * pool, so the queue needs only a few for fetching and finishing jobs.
 */
const POSTGRES_QUEUE_POOL_SIZE = 4;

export type QueueConnection = Pick<QueueOptions, 'connection' | 'prefix'>;

/** How a Queue, a Worker or QueueEvents reaches the deployment's queue backend: its options and BullMQ's backend factory. */
export function queueBackendOf(env: Environment): { options: QueueConnection; factory: BackendFactory } {
  if (env.queueBackend() === 'redis') {
    return { options: { connection: { url: env.REDIS_URL }, prefix: env.QUEUE_PREFIX }, factory: createRedisBackend as BackendFactory };
  }
  const connection: PostgresPoolConfig = {
    connectionString: env.DATABASE_URL,
    schema: POSTGRES_QUEUE_SCHEMA,
    max: POSTGRES_QUEUE_POOL_SIZE,
    application_name: 'wallet-sandbox-queues',
  };
  // The queue classes type their connection as Redis options; the PostgreSQL factory reads its own.
  return { options: { connection: connection as QueueOptions['connection'] }, factory: createPostgresBackend as BackendFactory };
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
