import type { Provider } from '@nestjs/common';
import { Environment } from '../config/environment.js';
import { Database } from '../database/database.js';
import { REDIS, type RedisClient } from '../redis/redis.js';
import { Notices } from './notices.js';
import { PostgresNotices } from './postgres-notices.js';
import { RedisNotices } from './redis-notices.js';

/** Notices travel where the queues are: Redis pub/sub, or LISTEN/NOTIFY in PostgreSQL. */
export const noticesProvider: Provider = {
  provide: Notices,
  inject: [Environment, REDIS, Database],
  useFactory: (env: Environment, redis: RedisClient | null, db: Database): Notices =>
    redis ? new RedisNotices(redis, env) : new PostgresNotices(db, env.DATABASE_URL),
};
