import { Redis } from 'ioredis';
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
    if (process.env.QUEUE_BACKEND === 'redis')
      await deleteRedisKeys(process.env.REDIS_URL as string, process.env.TEST_QUEUE_PREFIX as string);
  } finally {
    await server.close();
  }
}

async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
}
