import { Injectable } from '@nestjs/common';
import { Database, type SandboxContext } from '#core';
import { newStoreKey } from '../store-keys.js';
import { type StoreKey, Stores } from '../stores.js';
import { StoresRepository } from '../stores.repository.js';

/** Another register key for a store (a new register, or one whose key was lost): shown once, like the first. */
@Injectable()
export class IssueStoreKey {
  constructor(
    private readonly db: Database,
    private readonly stores: Stores,
    private readonly repository: StoresRepository,
  ) {}

  async execute(sandbox: SandboxContext, storeId: string): Promise<StoreKey & { apiKey: string }> {
    await this.stores.get(this.db, sandbox.id, storeId);
    const now = sandbox.time.now();
    const { key, apiKey, keyHash } = newStoreKey(storeId, now);
    await this.repository.insertKey(this.db, sandbox.id, { ...key, keyHash, createdAt: now });
    return { ...key, apiKey };
  }
}
