import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Database, type SandboxContext, SandboxChanges, SandboxLookup, forgetSandbox, systemNowMs } from '#core';
import { SandboxRepository, sandboxContext } from './sandbox.repository.js';

/** A cached sandbox context lives this long at most; a clock advance or reset drops it at once. */
const TTL_MS = 5_000;

/**
 * Sandbox contexts (profile and clock) for callers whose credential is
 * cached, such as store keys on the capture hot path.
 */
@Injectable()
export class SandboxContexts implements OnModuleInit {
  private readonly cache = new Map<string, { context: SandboxContext; until: number }>();

  constructor(
    private readonly db: Database,
    private readonly sandboxes: SandboxRepository,
    private readonly changes: SandboxChanges,
    private readonly lookup: SandboxLookup,
  ) {}

  onModuleInit(): void {
    this.changes.onChange((sandboxId) => forgetSandbox(this.cache, sandboxId));
    // The queue processors find a job's sandbox here.
    this.lookup.register((sandboxId) => this.get(sandboxId));
  }

  async get(sandboxId: string): Promise<SandboxContext | null> {
    const cached = this.cache.get(sandboxId);
    if (cached && cached.until > systemNowMs()) return cached.context;
    const sandbox = await this.sandboxes.find(this.db, sandboxId);
    if (!sandbox) return null;
    const context = sandboxContext(sandbox);
    this.cache.set(sandboxId, { context, until: systemNowMs() + TTL_MS });
    return context;
  }
}
