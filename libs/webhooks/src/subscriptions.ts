import { Injectable, type OnModuleInit } from '@nestjs/common';
import { SandboxChanges, type Topic, forgetSandbox, systemNowMs } from '#core';
import { ALL_EVENTS, EndpointsRepository } from './endpoints.repository.js';

/** The event types a sandbox's endpoints take, as read at `readAt` (the database's clock), kept `until`. */
interface Subscribed {
  types: Set<string>;
  until: number;
  readAt: Date;
}

/** A backstop only: every endpoint change is announced and drops the entry at once. */
const TTL_MS = 5_000;
const MAX_CACHED = 10_000;

/**
 * Which event types each sandbox's enabled endpoints take, cached per
 * process. Every event of every sandbox asks, so a sandbox without
 * endpoints costs a map lookup and, for events newer than its last read,
 * one read a relay batch: never a job.
 */
@Injectable()
export class EndpointSubscriptions implements OnModuleInit {
  private readonly cache = new Map<string, Subscribed>();
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

  /**
   * Whether an event of this type needs the webhooks module: a subscriber, or a clock advance that may make
   * retries due. A refusal read before the event was recorded is asked of the database again: an endpoint made
   * just before the event may not have been announced to this process yet, and the event must still reach it.
   */
  async wants(sandboxId: string, type: Topic, recordedAt: Date): Promise<boolean> {
    let subscribed = await this.subscribed(sandboxId);
    if (!admits(subscribed.types, type) && subscribed.readAt < recordedAt) subscribed = await this.read(sandboxId);
    return admits(subscribed.types, type);
  }

  private async subscribed(sandboxId: string): Promise<Subscribed> {
    const cached = this.cache.get(sandboxId);
    return cached && cached.until > systemNowMs() ? cached : this.read(sandboxId);
  }

  private async read(sandboxId: string): Promise<Subscribed> {
    const generation = this.generation;
    const read = await this.endpoints.subscribedTypes(sandboxId);
    const subscribed = { types: new Set(read.types), until: systemNowMs() + TTL_MS, readAt: read.at };
    if (generation !== this.generation) return subscribed;
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(sandboxId, subscribed);
    return subscribed;
  }
}

function admits(types: Set<string>, type: Topic): boolean {
  if (types.size === 0) return false;
  return type === 'sandbox.clock_advanced' || types.has(ALL_EVENTS) || types.has(type);
}
