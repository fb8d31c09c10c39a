import { Redis } from 'ioredis';
import pg from 'pg';
import type { EmbeddedDatabase } from '../../tools/support/embedded-database.js';

/** Set by global-setup.ts (the same process; Jest loads these two outside its module mapping). */
const EMBEDDED = Symbol.for('wallet-sandbox.test.embedded-database');

/**
 * Drops the run's databases and Redis keys (KEEP_TEST_DB=1 keeps them for a
 * look on a server of your own), or stops the run's embedded PostgreSQL.
 */
export default async function globalTeardown(): Promise<void> {
  const embedded = (globalThis as Record<symbol, unknown>)[EMBEDDED] as EmbeddedDatabase | undefined;
  if (embedded) {
    await embedded.stop();
    return;
  }
  if (process.env.KEEP_TEST_DB === '1') return;
  const admin = new pg.Client({ connectionString: `${process.env.TEST_POSTGRES_SERVER}/postgres` });
  await admin.connect();
  for (let worker = 1; worker <= Number(process.env.TEST_WORKERS); worker++) {
    await admin.query(`DROP DATABASE IF EXISTS ${process.env.TEST_DATABASE_BASE}_w${worker} WITH (FORCE)`);
  }
  await admin.end();

  if (process.env.QUEUE_BACKEND !== 'redis') return;
  const redis = new Redis(process.env.REDIS_URL as string);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${process.env.TEST_QUEUE_PREFIX}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
}
