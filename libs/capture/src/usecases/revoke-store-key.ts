import { Injectable } from '@nestjs/common';
import { Database, DomainError, SandboxChanges } from '#core';
import type { StoreKeyState } from '../stores.js';
import { StoresRepository } from '../stores.repository.js';

/** Stops a register key now: every process drops its cached lookups of the sandbox's keys when told. */
@Injectable()
export class RevokeStoreKey {
  constructor(
    private readonly db: Database,
    private readonly repository: StoresRepository,
    private readonly changes: SandboxChanges,
  ) {}

  async execute(sandboxId: string, storeId: string, keyId: string): Promise<StoreKeyState> {
    const revoked = await this.repository.revokeKey(this.db, sandboxId, storeId, keyId);
    if (!revoked) throw DomainError.notFound('store key', keyId);
    await this.changes.announce(sandboxId);
    return revoked;
  }
}
