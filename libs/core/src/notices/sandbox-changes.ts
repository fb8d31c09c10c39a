import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Notices } from './notices.js';

/** Every sandbox: what a listener hears when messages about changes may have been lost. */
export const ALL_SANDBOXES = '*';

/** Drops a sandbox's entry from a cache keyed by sandbox id, or every entry when any sandbox may have changed. */
export function forgetSandbox(cache: Map<string, unknown>, sandboxId: string): void {
  if (sandboxId === ALL_SANDBOXES) cache.clear();
  else cache.delete(sandboxId);
}

/**
 * Tells every process that a sandbox changed under its caches (clock
 * advanced, data reset), so caches of immutable-looking facts stay correct.
 */
@Injectable()
export class SandboxChanges implements OnModuleInit {
  private readonly logger = new Logger(SandboxChanges.name);
  private readonly listeners: Array<(sandboxId: string) => void> = [];

  constructor(private readonly notices: Notices) {}

  async onModuleInit(): Promise<void> {
    await this.notices.subscribe('sandbox-changed', {
      message: (sandboxId) => this.notify(sandboxId),
      // A change announced while this process could not hear it: forget every sandbox.
      missed: () => this.notify(ALL_SANDBOXES),
    });
  }

  /** `sandboxId` is ALL_SANDBOXES when any sandbox may have changed. */
  onChange(listener: (sandboxId: string) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Call after the change committed. This process forgets at once; the
   * others on the message, which has been sent them once this resolves.
   */
  async announce(sandboxId: string): Promise<void> {
    this.notify(sandboxId);
    await this.notices
      .publish('sandbox-changed', sandboxId)
      .catch((error: unknown) => this.logger.warn(`announce failed: ${String(error)}`));
  }

  private notify(sandboxId: string): void {
    for (const listener of this.listeners) listener(sandboxId);
  }
}
