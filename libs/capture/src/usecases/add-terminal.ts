import { Injectable } from '@nestjs/common';
import { Database, type SandboxContext, newId } from '#core';
import { type StoreTerminal, Stores } from '../stores.js';
import { StoresRepository } from '../stores.repository.js';

/** Adds a terminal (register) to a store. */
@Injectable()
export class AddTerminal {
  constructor(
    private readonly db: Database,
    private readonly stores: Stores,
    private readonly repository: StoresRepository,
  ) {}

  async execute(sandbox: SandboxContext, storeId: string, name: string): Promise<StoreTerminal> {
    await this.stores.get(this.db, sandbox.id, storeId);
    const id = newId('trm');
    const now = sandbox.time.now();
    await this.repository.insertTerminal(this.db, sandbox.id, { id, storeId, name, createdAt: now });
    return { id, storeId, name, createdAt: now.toISOString() };
  }
}
