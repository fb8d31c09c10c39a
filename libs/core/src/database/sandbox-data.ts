import { Injectable } from '@nestjs/common';
import type { Tx } from './database.js';

export type SandboxWipe = (tx: Tx, sandboxId: string) => Promise<void>;

/**
 * Each module registers how to wipe its own rows of one sandbox; a sandbox
 * reset runs them all in one transaction, so no module writes another's tables.
 */
@Injectable()
export class SandboxData {
  private readonly wipes = new Map<string, SandboxWipe>();

  register(owner: string, wipe: SandboxWipe): void {
    this.wipes.set(owner, wipe);
  }

  async wipeAll(tx: Tx, sandboxId: string): Promise<void> {
    for (const wipe of this.wipes.values()) await wipe(tx, sandboxId);
  }
}
