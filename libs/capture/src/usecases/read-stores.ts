import { Injectable } from '@nestjs/common';
import { Database, type Page } from '#core';
import { type Store, Stores } from '../stores.js';
import { StoresRepository } from '../stores.repository.js';

/** The sandbox's stores as the operator reads them. */
@Injectable()
export class ReadStores {
  constructor(
    private readonly db: Database,
    private readonly stores: Stores,
    private readonly repository: StoresRepository,
  ) {}

  /** Newest first. */
  list(sandboxId: string, query: { limit: number; startingAfter?: string }): Promise<Page<Store>> {
    return this.repository.list(this.db, sandboxId, query);
  }

  get(sandboxId: string, storeId: string): Promise<Store> {
    return this.stores.get(this.db, sandboxId, storeId);
  }
}
