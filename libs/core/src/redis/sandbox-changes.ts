import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { Environment } from '../config/environment.js';
import { REDIS } from './redis.js';

/**
 * Tells every process that a sandbox changed under its caches (clock
 * advanced, data reset), so caches of immutable-looking facts stay correct.
 */
@Injectable()
export class SandboxChanges implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SandboxChanges.name);
  private readonly listeners: Array<(sandboxId: string) => void> = [];
  private subscriber?: Redis;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly env: Environment,
  ) {}

  private get channel(): string {
    return `${this.env.QUEUE_PREFIX}:sandbox-changed`;
  }

  async onModuleInit(): Promise<void> {
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('message', (_channel: string, sandboxId: string) => this.notify(sandboxId));
    await this.subscriber.subscribe(this.channel);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  onChange(listener: (sandboxId: string) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Call after the change committed. This process forgets at once; the
   * others on the message, which Redis has sent them once this resolves.
   */
  async announce(sandboxId: string): Promise<void> {
    this.notify(sandboxId);
    await this.redis.publish(this.channel, sandboxId).catch((error: unknown) => this.logger.warn(`announce failed: ${String(error)}`));
  }

  private notify(sandboxId: string): void {
    for (const listener of this.listeners) listener(sandboxId);
  }
}
