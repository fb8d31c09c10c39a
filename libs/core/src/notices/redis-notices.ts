import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { type NoticeChannel, type NoticeListener, Notices } from './notices.js';

/** Notices over Redis pub/sub, on channels under the deployment's key prefix. */
export class RedisNotices extends Notices implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisNotices.name);
  private readonly listeners = new Map<string, NoticeListener[]>();
  private subscriber?: Redis;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    super();
  }

  async publish(channel: NoticeChannel, payload: string): Promise<void> {
    await this.redis.publish(this.key(channel), payload);
  }

  async subscribe(channel: NoticeChannel, listener: NoticeListener): Promise<void> {
    const key = this.key(channel);
    const listeners = this.listeners.get(key) ?? [];
    this.listeners.set(key, [...listeners, listener]);
    if (listeners.length === 0) await this.connect().subscribe(key);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  private connect(): Redis {
    if (this.subscriber) return this.subscriber;
    // Named, so an operator (or a test) can find the process's subscriber in CLIENT LIST.
    const subscriber = this.redis.duplicate({ connectionName: `${this.prefix}:notices` });
    let connectedBefore = false;
    subscriber.on('message', (key: string, payload: string) => this.listeners.get(key)?.forEach((l) => l.message(payload)));
    // ioredis subscribes again by itself after a reconnect; what was published in between is gone.
    subscriber.on('ready', () => {
      if (connectedBefore) this.listeners.forEach((listeners) => listeners.forEach((l) => l.missed?.()));
      connectedBefore = true;
    });
    subscriber.on('error', (error: Error) => this.logger.warn(`subscriber: ${error.message}`));
    this.subscriber = subscriber;
    return subscriber;
  }

  private key(channel: NoticeChannel): string {
    return `${this.prefix}:${channel}`;
  }
}
