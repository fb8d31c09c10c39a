import { Injectable } from '@nestjs/common';
import {
  Database,
  DomainError,
  Outbox,
  type Page,
  type Queryable,
  type SandboxContext,
  Topic,
  newId,
  randomSecret,
  sha256Hex,
} from '#core';
import { LedgerService } from '#ledger';

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

export interface StoreTerminal {
  id: string;
  storeId: string;
  name: string;
  createdAt: string;
}

interface StoreRow {
  id: string;
  name: string;
  category_code: string;
  city: string;
  latitude: number | null;
  longitude: number | null;
  created_at: Date;
}

const toStore = (row: StoreRow): Store => ({
  id: row.id,
  name: row.name,
  categoryCode: row.category_code,
  city: row.city,
  location: row.latitude === null || row.longitude === null ? null : { latitude: row.latitude, longitude: row.longitude },
  createdAt: row.created_at.toISOString(),
});

/** Stores: their ledger account, their register key (shown once, stored hashed) and terminals. */
@Injectable()
export class Stores {
  constructor(
    private readonly db: Database,
    private readonly ledger: LedgerService,
    private readonly outbox: Outbox,
  ) {}

  async create(
    sandbox: SandboxContext,
    input: { name: string; categoryCode?: string; city?: string; location?: { latitude: number; longitude: number } },
  ): Promise<Store & { apiKey: string }> {
    const id = newId('str');
    const now = sandbox.time.now();
    let apiKey = '';
    const store = await this.db.transaction(async (tx) => {
      const [row] = await tx.rows<StoreRow>(
        `INSERT INTO capture_stores (sandbox_id, id, name, category_code, city, latitude, longitude, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
        [
          sandbox.id,
          id,
          input.name,
          input.categoryCode ?? '5411',
          input.city ?? 'Tokyo',
          input.location?.latitude ?? null,
          input.location?.longitude ?? null,
          now,
        ],
      );
      ({ apiKey } = await this.insertKey(tx, sandbox.id, id, now));
      await this.ledger.openAccount(tx, sandbox.id, id, 'store', now);
      await this.outbox.publish(tx, {
        sandboxId: sandbox.id,
        type: Topic.StoreCreated,
        data: { storeId: id, name: input.name },
        occurredAt: now,
      });
      return toStore(row);
    });
    return { ...store, apiKey };
  }

  async find(q: Queryable, sandboxId: string, storeId: string): Promise<Store | null> {
    const [row] = await q.rows<StoreRow>(`SELECT * FROM capture_stores WHERE sandbox_id = $1 AND id = $2`, [sandboxId, storeId]);
    return row ? toStore(row) : null;
  }

  /** The store, or the `not_found` problem. */
  async get(q: Queryable, sandboxId: string, storeId: string): Promise<Store> {
    const store = await this.find(q, sandboxId, storeId);
    if (!store) throw DomainError.notFound('store', storeId);
    return store;
  }

  /** The sandbox's stores, newest first. */
  async list(sandboxId: string, query: { limit: number; starting_after?: string }): Promise<Page<Store>> {
    const rows = await this.db.rows<StoreRow>(
      `SELECT * FROM capture_stores WHERE sandbox_id = $1 AND ($2::text IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
      [sandboxId, query.starting_after ?? null, query.limit + 1],
    );
    return { data: rows.slice(0, query.limit).map(toStore), has_more: rows.length > query.limit };
  }

  /** Another register key for a store (a new register, or one whose key was lost): shown once, like the first. */
  async issueKey(sandbox: SandboxContext, storeId: string): Promise<StoreKey & { apiKey: string }> {
    await this.get(this.db, sandbox.id, storeId);
    return this.insertKey(this.db, sandbox.id, storeId, sandbox.time.now());
  }

  private async insertKey(q: Queryable, sandboxId: string, storeId: string, now: Date): Promise<StoreKey & { apiKey: string }> {
    const apiKey = `stk_test_${randomSecret(32)}`;
    const key = { id: newId('key'), storeId, keyHint: `${apiKey.slice(0, 13)}…${apiKey.slice(-4)}`, createdAt: now.toISOString() };
    await q.rows(
      `INSERT INTO capture_store_keys (id, sandbox_id, store_id, key_hash, key_hint, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [key.id, sandboxId, storeId, sha256Hex(apiKey), key.keyHint, now],
    );
    return { ...key, apiKey };
  }

  async addTerminal(sandbox: SandboxContext, storeId: string, name: string): Promise<StoreTerminal> {
    await this.get(this.db, sandbox.id, storeId);
    const id = newId('trm');
    const now = sandbox.time.now();
    await this.db.rows(`INSERT INTO capture_terminals (sandbox_id, id, store_id, name, created_at) VALUES ($1, $2, $3, $4, $5)`, [
      sandbox.id,
      id,
      storeId,
      name,
      now,
    ]);
    return { id, storeId, name, createdAt: now.toISOString() };
  }

  async terminalLabel(sandboxId: string, storeId: string, terminalId: string): Promise<string> {
    const [row] = await this.db.rows<{ name: string }>(
      `SELECT name FROM capture_terminals WHERE sandbox_id = $1 AND id = $2 AND store_id = $3`,
      [sandboxId, terminalId, storeId],
    );
    if (!row) throw DomainError.notFound('terminal', terminalId);
    return row.name;
  }

  /** The store behind a register key, for the credential resolver. */
  async findByKeyHash(hash: string): Promise<{ keyId: string; sandboxId: string; storeId: string } | null> {
    const [row] = await this.db.rows<{ id: string; sandbox_id: string; store_id: string }>(
      `SELECT id, sandbox_id, store_id FROM capture_store_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
      [hash],
    );
    return row ? { keyId: row.id, sandboxId: row.sandbox_id, storeId: row.store_id } : null;
  }
}
