import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Environment } from '../config/environment.js';
import { type RedisClient, subscriberConnection } from '../redis/redis.js';
import { type NoticeChannel, type NoticeListener, Notices } from './notices.js';

/** Notices over Redis pub/sub (server or cluster), on channels under the deployment's key prefix. */
export class RedisNotices extends Notices implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisNotices.name);
  private readonly listeners = new Map<string, NoticeListener[]>();
  private readonly prefix: string;
  private subscriber?: Redis;
  /** Set once a subscriber was ready: any later ready is after a loss, whichever connection it is on. */
  private connectedBefore = false;
  private closing = false;

  constructor(
    private readonly redis: RedisClient,
    private readonly env: Environment,
  ) {
    super();
    this.prefix = env.QUEUE_PREFIX;
  }

  async publish(channel: NoticeChannel, payload: string): Promise<void> {
    await this.redis.publish(this.key(channel), payload);
  }

  async subscribe(channel: NoticeChannel, listener: NoticeListener): Promise<void> {
    const key = this.key(channel);
    const listeners = this.listeners.get(key) ?? [];
    this.listeners.set(key, [...listeners, listener]);
    if (listeners.length === 0) await this.subscribeOnce(key);
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  /** A connection that ended meanwhile (a cluster node that stays away) is replaced by one that subscribes to every channel, this one too. */
  private async subscribeOnce(key: string): Promise<void> {
    const subscriber = this.connect();
    try {
      await subscriber.subscribe(key);
    } catch (error) {
      if (this.closing || subscriber.status !== 'end') throw error;
    }
  }

  private connect(): Redis {
    if (this.subscriber) return this.subscriber;
    // Named, so an operator (or a test) can find the process's subscriber in CLIENT LIST.
    const subscriber = subscriberConnection(this.redis, this.env, `${this.prefix}:notices`);
    subscriber.on('message', (key: string, payload: string) => this.listeners.get(key)?.forEach((l) => l.message(payload)));
    // ioredis subscribes again by itself after a reconnect; what was published in between is gone.
    subscriber.on('ready', () => {
      if (this.connectedBefore) this.listeners.forEach((listeners) => listeners.forEach((l) => l.missed?.()));
      this.connectedBefore = true;
    });
    subscriber.on('error', (error: Error) => this.logger.warn(`subscriber: ${error.message}`));
    // A connection that gave up (a cluster node that stays away) is replaced, subscribed to every channel again.
    subscriber.once('end', () => {
      if (this.closing) return;
      this.subscriber = undefined;
      const keys = [...this.listeners.keys()];
      if (keys.length > 0)
        this.connect()
          .subscribe(...keys)
          .catch((error: Error) => this.logger.warn(`subscriber: ${error.message}`));
    });
    this.subscriber = subscriber;
    return subscriber;
  }

  private key(channel: NoticeChannel): string {
    return `${this.prefix}:${channel}`;
  }
}
