import { resolve } from 'node:path';
import type * as Core from '../../libs/core/src/index.js';
import type { PostgresServer } from '../../tools/support/postgres-server.js';

/** Set by global-setup.ts (the same process; Jest loads these two outside its module mapping). */
const SERVER = Symbol.for('wallet-sandbox.test.postgres-server');

/**
 * Drops the run's databases and Redis keys (KEEP_TEST_DB=1 keeps them for a
 * look on a server of your own), and stops the run's embedded PostgreSQL.
 */
export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as Record<symbol, unknown>)[SERVER] as PostgresServer;
  try {
    if (process.env.KEEP_TEST_DB === '1') return;
    for (let worker = 1; worker <= Number(process.env.TEST_WORKERS); worker++) {
      await server.dropDatabase(`${process.env.TEST_DATABASE_BASE}_w${worker}`);
    }
    if (process.env.QUEUE_BACKEND === 'redis') await deleteRunKeys(process.env.TEST_QUEUE_PREFIX as string);
  } finally {
    await server.close();
  }
}

/** Every key of the run, on the Redis server or every master of the cluster. */
async function deleteRunKeys(prefix: string): Promise<void> {
  // Compiled: the sources' .js imports need the module mapping.
  const core = (await import(resolve('dist/libs/core/src/index.js'))) as typeof Core;
  const settings = { REDIS_URL: process.env.REDIS_URL, REDIS_CLUSTER_NODES: process.env.REDIS_CLUSTER_NODES };
  const redis = core.openRedis(Object.assign(new core.Environment(), settings));
  try {
    await core.deleteRedisKeys(redis, `${prefix}*`);
  } finally {
    await redis.quit();
  }
}
