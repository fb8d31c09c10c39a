import { Injectable } from '@nestjs/common';
import { Database, type Page } from '#core';
import { type StoreKeyState, Stores } from '../stores.js';
import { StoresRepository } from '../stores.repository.js';

/** A store's register keys that still work (those in a roll's grace period too), newest first. */
@Injectable()
export class ListStoreKeys {
  constructor(
    private readonly db: Database,
    private readonly stores: Stores,
    private readonly repository: StoresRepository,
  ) {}

  async execute(sandboxId: string, storeId: string, query: { limit: number; startingAfter?: string }): Promise<Page<StoreKeyState>> {
    await this.stores.get(this.db, sandboxId, storeId);
    return this.repository.listKeys(this.db, sandboxId, storeId, query);
  }
}
