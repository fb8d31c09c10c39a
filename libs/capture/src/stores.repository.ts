import { Injectable } from '@nestjs/common';
import { Database, LIVE_KEY, type Page, type Queryable } from '#core';
import type { Store, StoreKeyState } from './stores.js';

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

interface KeyRow {
  id: string;
  store_id: string;
  key_hint: string;
  created_at: Date;
  revoked_at: Date | null;
}

const toKey = (row: KeyRow): StoreKeyState => ({
  id: row.id,
  storeId: row.store_id,
  keyHint: row.key_hint,
  createdAt: row.created_at.toISOString(),
  revokedAt: row.revoked_at?.toISOString() ?? null,
});

/** Stores, their register keys (stored hashed) and their terminals. */
@Injectable()
export class StoresRepository {
  constructor(private readonly db: Database) {}

  async insert(
    q: Queryable,
    store: {
      sandboxId: string;
      id: string;
      name: string;
      categoryCode: string;
      city: string;
      location: { latitude: number; longitude: number } | null;
      createdAt: Date;
    },
  ): Promise<Store> {
    const [row] = await q.rows<StoreRow>(
      `INSERT INTO capture_stores (sandbox_id, id, name, category_code, city, latitude, longitude, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [
        store.sandboxId,
        store.id,
        store.name,
        store.categoryCode,
        store.city,
        store.location?.latitude ?? null,
        store.location?.longitude ?? null,
        store.createdAt,
      ],
    );
    return toStore(row);
  }

  async find(q: Queryable, sandboxId: string, storeId: string): Promise<Store | null> {
    const [row] = await q.rows<StoreRow>(`SELECT * FROM capture_stores WHERE sandbox_id = $1 AND id = $2`, [sandboxId, storeId]);
    return row ? toStore(row) : null;
  }

  /** The sandbox's stores, newest first. */
  async list(q: Queryable, sandboxId: string, query: { limit: number; startingAfter?: string }): Promise<Page<Store>> {
    const rows = await q.rows<StoreRow>(
      `SELECT * FROM capture_stores WHERE sandbox_id = $1 AND ($2::text IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
      [sandboxId, query.startingAfter ?? null, query.limit + 1],
    );
    return { data: rows.slice(0, query.limit).map(toStore), has_more: rows.length > query.limit };
  }

  async insertKey(
    q: Queryable,
    sandboxId: string,
    key: { id: string; storeId: string; keyHash: string; keyHint: string; createdAt: Date },
  ): Promise<void> {
    await q.rows(
      `INSERT INTO capture_store_keys (id, sandbox_id, store_id, key_hash, key_hint, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [key.id, sandboxId, key.storeId, key.keyHash, key.keyHint, key.createdAt],
    );
  }

  /** The store behind a register key that still works, and when it stops if a roll set that. */
  async findKeyByHash(hash: string): Promise<{ keyId: string; sandboxId: string; storeId: string; revokedAt: Date | null } | null> {
    const [row] = await this.db.rows<{ id: string; sandbox_id: string; store_id: string; revoked_at: Date | null }>(
      `SELECT id, sandbox_id, store_id, revoked_at FROM capture_store_keys WHERE key_hash = $1 AND ${LIVE_KEY}`,
      [hash],
    );
    return row ? { keyId: row.id, sandboxId: row.sandbox_id, storeId: row.store_id, revokedAt: row.revoked_at } : null;
  }

  /** The store's register keys that still work, newest first. */
  async listKeys(
    q: Queryable,
    sandboxId: string,
    storeId: string,
    query: { limit: number; startingAfter?: string },
  ): Promise<Page<StoreKeyState>> {
    const rows = await q.rows<KeyRow>(
      `SELECT * FROM capture_store_keys WHERE sandbox_id = $1 AND store_id = $2 AND ${LIVE_KEY} AND ($3::text IS NULL OR id < $3)
        ORDER BY id DESC LIMIT $4`,
      [sandboxId, storeId, query.startingAfter ?? null, query.limit + 1],
    );
    return { data: rows.slice(0, query.limit).map(toKey), has_more: rows.length > query.limit };
  }

  /** When the store's key stops working, if the store has it. */
  async findKeyState(q: Queryable, sandboxId: string, storeId: string, keyId: string): Promise<{ revokedAt: Date | null } | null> {
    const [row] = await q.rows<{ revoked_at: Date | null }>(
      `SELECT revoked_at FROM capture_store_keys WHERE sandbox_id = $1 AND store_id = $2 AND id = $3`,
      [sandboxId, storeId, keyId],
    );
    return row ? { revokedAt: row.revoked_at } : null;
  }

  /** Sets a key that has not been rolled to stop working in `seconds` (0: now); null when there is no such key. */
  async expireUnrolledKey(q: Queryable, sandboxId: string, storeId: string, keyId: string, seconds: number): Promise<StoreKeyState | null> {
    const [row] = await q.rows<KeyRow>(
      `UPDATE capture_store_keys SET revoked_at = now() + make_interval(secs => $4)
        WHERE sandbox_id = $1 AND store_id = $2 AND id = $3 AND revoked_at IS NULL RETURNING *`,
      [sandboxId, storeId, keyId, seconds],
    );
    return row ? toKey(row) : null;
  }

  /** Stops a working key now; null when the store has no such key that still works. */
  async revokeKey(q: Queryable, sandboxId: string, storeId: string, keyId: string): Promise<StoreKeyState | null> {
    const [row] = await q.rows<KeyRow>(
      `UPDATE capture_store_keys SET revoked_at = now() WHERE sandbox_id = $1 AND store_id = $2 AND id = $3 AND ${LIVE_KEY} RETURNING *`,
      [sandboxId, storeId, keyId],
    );
    return row ? toKey(row) : null;
  }

  async insertTerminal(
    q: Queryable,
    sandboxId: string,
    terminal: { id: string; storeId: string; name: string; createdAt: Date },
  ): Promise<void> {
    await q.rows(`INSERT INTO capture_terminals (sandbox_id, id, store_id, name, created_at) VALUES ($1, $2, $3, $4, $5)`, [
      sandboxId,
      terminal.id,
      terminal.storeId,
      terminal.name,
      terminal.createdAt,
    ]);
  }

  /** A terminal's name, if the store has that terminal. */
  async findTerminalName(q: Queryable, sandboxId: string, storeId: string, terminalId: string): Promise<string | null> {
    const [row] = await q.rows<{ name: string }>(`SELECT name FROM capture_terminals WHERE sandbox_id = $1 AND id = $2 AND store_id = $3`, [
      sandboxId,
      terminalId,
      storeId,
    ]);
    return row?.name ?? null;
  }

  /** A sandbox reset wipes its stores with their terminals and keys. */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    for (const table of ['capture_terminals', 'capture_store_keys', 'capture_stores']) {
      await q.rows(`DELETE FROM ${table} WHERE sandbox_id = $1`, [sandboxId]);
    }
  }
}
