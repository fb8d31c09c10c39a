import { Injectable } from '@nestjs/common';
import { Database, unrollableKey } from '#core';
import { type SandboxKey, SandboxRepository } from '../sandbox.repository.js';
import { type IssuedSandboxKey, IssueSandboxKey } from './issue-sandbox-key.js';

export interface RolledSandboxKey extends IssuedSandboxKey {
  /** The key it replaces, with the time it stops working. */
  replaces: SandboxKey;
}

/**
 * A new key of the same kind for one that may have leaked. The old key stops
 * at once or after a grace period; sandbox keys are looked up on every
 * request, so every process refuses it from then on.
 */
@Injectable()
export class RollSandboxKey {
  constructor(
    private readonly db: Database,
    private readonly sandboxes: SandboxRepository,
    private readonly issue: IssueSandboxKey,
  ) {}

  execute(sandboxId: string, keyId: string, graceSeconds: number): Promise<RolledSandboxKey> {
    return this.db.transaction(async (tx) => {
      // Only a key not rolled before: two rolls of one key, even at once, cannot leave two replacements.
      const replaces = await this.sandboxes.expireUnrolledKey(tx, sandboxId, keyId, graceSeconds);
      if (!replaces) throw unrollableKey('key', keyId, await this.sandboxes.findKeyState(tx, sandboxId, keyId));
      return { ...(await this.issue.execute(sandboxId, replaces.kind, tx)), replaces };
    });
  }
}
