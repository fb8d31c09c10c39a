import { Injectable } from '@nestjs/common';
import { Database, type Page } from '#core';
import type { Store } from '../stores.js';
import { StoresRepository } from '../stores.repository.js';

/** The sandbox's stores, newest first. */
@Injectable()
export class ListStores {
  constructor(
    private readonly db: Database,
    private readonly stores: StoresRepository,
  ) {}

  execute(sandboxId: string, query: { limit: number; startingAfter?: string }): Promise<Page<Store>> {
    return this.stores.list(this.db, sandboxId, query);
  }
}
