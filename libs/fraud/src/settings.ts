import { Injectable } from '@nestjs/common';
import { Database, SandboxCache, SandboxChanges } from '#core';
import { FraudSettingsRepository } from './fraud-settings.repository.js';
import { type FraudSettings, mergeSettings } from './rules.js';

/**
 * Per-sandbox rule settings over the documented defaults. Every observed
 * event needs them, so each process keeps them until the sandbox announces
 * a change (an update, a reset).
 */
@Injectable()
export class FraudSettingsStore {
  private readonly cache: SandboxCache<FraudSettings>;

  constructor(
    private readonly db: Database,
    private readonly settings: FraudSettingsRepository,
    changes: SandboxChanges,
  ) {
    this.cache = new SandboxCache(changes, async (sandboxId) => mergeSettings((await this.settings.find(this.db, sandboxId)) ?? {}));
  }

  get(sandboxId: string): Promise<FraudSettings> {
    return this.cache.get(sandboxId);
  }
}
