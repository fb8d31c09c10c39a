import { Injectable } from '@nestjs/common';
import { Database, newId, unrollableKey } from '#core';
import { issueKey } from '../sandbox-keys.js';
import { type SandboxKey, SandboxRepository } from '../sandbox.repository.js';

export interface RolledSandboxKey extends SandboxKey {
  /** The new key itself: shown this once, stored only as a hash. */
  key: string;
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
  ) {}

  execute(sandboxId: string, keyId: string, graceSeconds: number): Promise<RolledSandboxKey> {
    return this.db.transaction(async (tx) => {
      // Only a key not rolled before: two rolls of one key, even at once, cannot leave two replacements.
      const replaces = await this.sandboxes.expireUnrolledKey(tx, sandboxId, keyId, graceSeconds);
      if (!replaces) throw unrollableKey('key', keyId, await this.sandboxes.findKeyState(tx, sandboxId, keyId));
      const issued = issueKey(replaces.kind);
      const id = newId('key');
      const createdAt = await this.sandboxes.insertKey(tx, { id, sandboxId, kind: issued.kind, hash: issued.hash, hint: issued.hint });
      return {
        id,
        kind: issued.kind,
        keyHint: issued.hint,
        createdAt: createdAt.toISOString(),
        revokedAt: null,
        key: issued.plaintext,
        replaces,
      };
    });
  }
}
