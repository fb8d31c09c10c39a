import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ALL_SANDBOXES, Credentials, type Principal, SandboxChanges, newId, randomSecret, sha256Hex, systemNowMs } from '#core';
import { SandboxContexts } from '#sandbox';
import type { StoreKey } from './stores.js';
import { StoresRepository } from './stores.repository.js';

const KEY_FORMAT = /^stk_test_[0-9A-Za-z]{32}$/;
const TTL_MS = 60_000;
const MAX_ENTRIES = 10_000;

/** A new register key for a store: the key is shown once, only its hash is stored. */
export function newStoreKey(storeId: string, now: Date): { key: StoreKey; apiKey: string; keyHash: string } {
  const apiKey = `stk_test_${randomSecret(32)}`;
  return {
    key: { id: newId('key'), storeId, keyHint: `${apiKey.slice(0, 13)}…${apiKey.slice(-4)}`, createdAt: now.toISOString() },
    apiKey,
    keyHash: sha256Hex(apiKey),
  };
}

/**
 * Resolves register keys. A key's store never changes, so the lookup is
 * cached in the process: the register's hot path spends no round trip on it.
 * A sandbox reset and a key's roll or revoke drop the sandbox's entries in
 * every process (SandboxChanges); a roll's grace period ends the entry too.
 */
@Injectable()
export class StoreKeyResolver implements OnModuleInit {
  private readonly cache = new Map<string, { keyId: string; sandboxId: string; storeId: string; until: number }>();
  /** Counts changes heard: a lookup that raced one is used once, not kept. */
  private generation = 0;

  constructor(
    private readonly credentials: Credentials,
    private readonly stores: StoresRepository,
    private readonly contexts: SandboxContexts,
    private readonly changes: SandboxChanges,
  ) {}

  onModuleInit(): void {
    this.credentials.register('store_key', (token) => this.resolve(token));
    this.changes.onChange((sandboxId) => {
      this.generation++;
      for (const [hash, entry] of this.cache) if (sandboxId === ALL_SANDBOXES || entry.sandboxId === sandboxId) this.cache.delete(hash);
    });
  }

  private async resolve(token: string): Promise<Principal | null> {
    if (!KEY_FORMAT.test(token)) return null;
    const hash = sha256Hex(token);
    let entry = this.cache.get(hash);
    if (!entry || entry.until <= systemNowMs()) {
      const generation = this.generation;
      const found = await this.stores.findKeyByHash(hash);
      if (!found) return null;
      if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
      const { revokedAt, ...key } = found;
      entry = { ...key, until: Math.min(systemNowMs() + TTL_MS, revokedAt?.getTime() ?? Infinity) };
      if (generation === this.generation) this.cache.set(hash, entry);
    }
    const sandbox = await this.contexts.get(entry.sandboxId);
    return sandbox ? { kind: 'store', sandbox, storeId: entry.storeId, keyId: entry.keyId } : null;
  }
}
