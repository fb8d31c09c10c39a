import { Injectable } from '@nestjs/common';
import { Database } from '#core';
import { type Store, Stores } from '../stores.js';

/** One store of the sandbox. */
@Injectable()
export class GetStore {
  constructor(
    private readonly db: Database,
    private readonly stores: Stores,
  ) {}

  execute(sandboxId: string, storeId: string): Promise<Store> {
    return this.stores.get(this.db, sandboxId, storeId);
  }
}
