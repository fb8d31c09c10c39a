import { Injectable, type OnModuleInit } from '@nestjs/common';
import { SandboxChanges, type Topic, forgetSandbox, systemNowMs } from '#core';
import { ALL_EVENTS, EndpointsRepository } from './endpoints.repository.js';

/** A backstop only: every endpoint change is announced and drops the entry at once. */
const TTL_MS = 5_000;
const MAX_CACHED = 10_000;

/**
 * Which event types each sandbox's enabled endpoints take, cached per
 * process. Every event of every sandbox asks, so a sandbox without
 * endpoints costs a map lookup, not a query or a job.
 */
@Injectable()
export class EndpointSubscriptions implements OnModuleInit {
  private readonly cache = new Map<string, { types: Set<string>; until: number }>();
  /** Bumped by every change, so a read that raced one is not cached. */
  private generation = 0;

  constructor(
    private readonly endpoints: EndpointsRepository,
    private readonly changes: SandboxChanges,
  ) {}

  onModuleInit(): void {
    this.changes.onChange((sandboxId) => {
      this.generation++;
      forgetSandbox(this.cache, sandboxId);
    });
  }

  /** Whether an event of this type needs the webhooks module: a subscriber, or a clock advance that may make retries due. */
  async wants(sandboxId: string, type: Topic): Promise<boolean> {
    const types = await this.types(sandboxId);
    if (types.size === 0) return false;
    return type === 'sandbox.clock_advanced' || types.has(ALL_EVENTS) || types.has(type);
  }

  private async types(sandboxId: string): Promise<Set<string>> {
    const cached = this.cache.get(sandboxId);
    if (cached && cached.until > systemNowMs()) return cached.types;
    const generation = this.generation;
    const types = new Set(await this.endpoints.subscribedTypes(sandboxId));
    if (generation !== this.generation) return types;
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(sandboxId, { types, until: systemNowMs() + TTL_MS });
    return types;
  }
}
