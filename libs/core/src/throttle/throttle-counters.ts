import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RateLimiterPostgres, RateLimiterRedis, type RateLimiterStoreAbstract } from 'rate-limiter-flexible';
import type { DataSource } from 'typeorm';
import { Environment } from '../config/environment.js';
import { Database, type Queryable } from '../database/database.js';
import { REDIS, type RedisClient, deleteRedisKeys } from '../redis/redis.js';

/** The PostgreSQL table of throttle counters, laid out as rate-limiter-flexible's PostgreSQL store expects. */
export const THROTTLE_COUNTERS_TABLE = 'throttle_counters';

/**
 * Where the throttles count, in real time: Redis (a server, or a cluster:
 * each counter is one key), or a PostgreSQL table when the deployment runs
 * without Redis. Every counter's key holds the sandbox id, so a sandbox's
 * counters can be wiped together.
 */
@Injectable()
export class ThrottleCounters {
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient | null,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly db: Database,
    env: Environment,
  ) {
    this.prefix = `${env.QUEUE_PREFIX}:rl`;
  }

  /** A counter of `points` per `durationSeconds` under a name of its own. */
  limiter(name: string, points: number, durationSeconds: number): RateLimiterStoreAbstract {
    const options = { keyPrefix: `${this.prefix}:${name}`, points, duration: durationSeconds };
    if (this.redis) return new RateLimiterRedis({ ...options, storeClient: this.redis });
    return new RateLimiterPostgres({
      ...options,
      storeClient: this.dataSource,
      storeType: 'typeorm',
      tableName: THROTTLE_COUNTERS_TABLE,
      tableCreated: true,
    });
  }

  /** Forgets every counter of one sandbox (sandbox reset); in PostgreSQL, within the reset's transaction. */
  async wipe(sandboxId: string, within: Queryable = this.db): Promise<void> {
    if (!this.redis) {
      await within.rows(`DELETE FROM ${THROTTLE_COUNTERS_TABLE} WHERE starts_with(key, $1) AND strpos(key, $2) > 0`, [
        `${this.prefix}:`,
        sandboxId,
      ]);
      return;
    }
    await deleteRedisKeys(this.redis, `${this.prefix}:*${sandboxId}*`);
  }
}
