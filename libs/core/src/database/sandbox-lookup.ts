import { Injectable } from '@nestjs/common';
import type { SandboxContext } from '../auth/principal.js';

export type SandboxFinder = (sandboxId: string) => Promise<SandboxContext | null>;

/**
 * A sandbox's context (profile and clock) by id, for the queue processors:
 * the sandbox module registers how to find one, since its table is its own.
 */
@Injectable()
export class SandboxLookup {
  private finder?: SandboxFinder;

  register(finder: SandboxFinder): void {
    this.finder = finder;
  }

  /** Null once the sandbox is gone. */
  find(sandboxId: string): Promise<SandboxContext | null> {
    if (!this.finder) throw new Error('no sandbox lookup is registered: the process must load the sandbox module');
    return this.finder(sandboxId);
  }
}
