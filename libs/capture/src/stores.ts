import { Injectable } from '@nestjs/common';
import { Database, DomainError, type Queryable } from '#core';
import { StoresRepository } from './stores.repository.js';

export interface Store {
  id: string;
  name: string;
  categoryCode: string;
  city: string;
  location: { latitude: number; longitude: number } | null;
  createdAt: string;
}

/** A register key of a store: the key itself is shown once, when issued. */
export interface StoreKey {
  id: string;
  storeId: string;
  keyHint: string;
  createdAt: string;
}

/** A register key as the operator sees it afterwards: when it stops (or stopped) working, never the key itself. */
export interface StoreKeyState extends StoreKey {
  /** Set by a revoke, or by a roll after its grace period; null while the key lasts. */
  revokedAt: string | null;
}

export interface StoreTerminal {
  id: string;
  storeId: string;
  name: string;
  createdAt: string;
}

/** The sandbox's stores as the module's use cases and other modules read them. */
@Injectable()
export class Stores {
  constructor(
    private readonly db: Database,
    private readonly stores: StoresRepository,
  ) {}

  find(q: Queryable, sandboxId: string, storeId: string): Promise<Store | null> {
    return this.stores.find(q, sandboxId, storeId);
  }

  async get(q: Queryable, sandboxId: string, storeId: string): Promise<Store> {
    const store = await this.stores.find(q, sandboxId, storeId);
    if (!store) throw DomainError.notFound('store', storeId);
    return store;
  }

  /** A terminal's name, for the store codes printed at it. */
  async terminalLabel(sandboxId: string, storeId: string, terminalId: string): Promise<string> {
    const name = await this.stores.findTerminalName(this.db, sandboxId, storeId, terminalId);
    if (name === null) throw DomainError.notFound('terminal', terminalId);
    return name;
  }
}
