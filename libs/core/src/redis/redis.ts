import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { Environment } from '../config/environment.js';

/** The Redis client of the process, or null when the queues, throttles and notices live in PostgreSQL. */
export const REDIS = Symbol('REDIS');

export const redisProvider = {
  provide: REDIS,
  inject: [Environment],
  useFactory: (env: Environment): Redis | null =>
    env.queueBackend() === 'redis'
      ? new Redis(env.REDIS_URL as string, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false })
      : null,
};

@Injectable()
export class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}
