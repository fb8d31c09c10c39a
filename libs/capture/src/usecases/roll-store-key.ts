import { Injectable } from '@nestjs/common';
import { Database, type SandboxContext, SandboxChanges, unrollableKey } from '#core';
import { newStoreKey } from '../store-keys.js';
import type { StoreKey, StoreKeyState } from '../stores.js';
import { StoresRepository } from '../stores.repository.js';

export interface RolledStoreKey extends StoreKey {
  /** The new register key: shown this once, stored only as a hash. */
  apiKey: string;
  revokedAt: null;
  /** The key it replaces, with the time it stops working. */
  replaces: StoreKeyState;
}

/**
 * A new register key for one that may have leaked. The old key stops at once
 * or after a grace period; every process drops its cached lookups of the
 * sandbox's keys when told, so none keeps accepting it.
 */
@Injectable()
export class RollStoreKey {
  constructor(
    private readonly db: Database,
    private readonly repository: StoresRepository,
    private readonly changes: SandboxChanges,
  ) {}

  async execute(sandbox: SandboxContext, storeId: string, keyId: string, graceSeconds: number): Promise<RolledStoreKey> {
    const rolled = await this.db.transaction(async (tx) => {
      // Only a key not rolled before: two rolls of one key, even at once, cannot leave two replacements.
      const replaces = await this.repository.expireUnrolledKey(tx, sandbox.id, storeId, keyId, graceSeconds);
      if (!replaces) throw unrollableKey('store key', keyId, await this.repository.findKeyState(tx, sandbox.id, storeId, keyId));
      const now = sandbox.time.now();
      const { key, apiKey, keyHash } = newStoreKey(storeId, now);
      await this.repository.insertKey(tx, sandbox.id, { ...key, keyHash, createdAt: now });
      return { ...key, apiKey, revokedAt: null, replaces };
    });
    await this.changes.announce(sandbox.id);
    return rolled;
  }
}
