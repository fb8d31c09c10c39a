import { Injectable } from '@nestjs/common';
import { Database, Outbox, type SandboxContext, newId } from '#core';
import { LedgerService } from '#ledger';
import { newStoreKey } from '../store-keys.js';
import type { Store } from '../stores.js';
import { StoresRepository } from '../stores.repository.js';

/** Opens a store: its ledger account and its register key (shown once, stored hashed). */
@Injectable()
export class CreateStore {
  constructor(
    private readonly db: Database,
    private readonly stores: StoresRepository,
    private readonly ledger: LedgerService,
    private readonly outbox: Outbox,
  ) {}

  async execute(
    sandbox: SandboxContext,
    input: { name: string; categoryCode?: string; city?: string; location?: { latitude: number; longitude: number } },
  ): Promise<Store & { apiKey: string }> {
    const id = newId('str');
    const now = sandbox.time.now();
    const { key, apiKey, keyHash } = newStoreKey(id, now);
    const store = await this.db.transaction(async (tx) => {
      const created = await this.stores.insert(tx, {
        sandboxId: sandbox.id,
        id,
        name: input.name,
        categoryCode: input.categoryCode ?? '5411',
        city: input.city ?? 'Tokyo',
        location: input.location ?? null,
        createdAt: now,
      });
      await this.stores.insertKey(tx, sandbox.id, { ...key, keyHash, createdAt: now });
      await this.ledger.openAccount(tx, sandbox.id, id, 'store', now);
      await this.outbox.publish(tx, {
        sandboxId: sandbox.id,
        type: 'store.created',
        data: { storeId: id, name: input.name },
        occurredAt: now,
      });
      return created;
    });
    return { ...store, apiKey };
  }
}
