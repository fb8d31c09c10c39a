import { Injectable } from '@nestjs/common';
import { Database, SandboxCache, SandboxChanges } from '#core';
import type { GatewayBehaviour } from './card-network.js';
import { type LimitOverrides, type TopupLimits, mergeLimits } from './limits.js';
import { TopupSettingsRepository } from './topup-settings.repository.js';

export interface TopupSettings {
  limits: TopupLimits;
  gateway: GatewayBehaviour;
}

export interface SettingsPatch {
  limits?: LimitOverrides;
  gateway?: Partial<GatewayBehaviour>;
}

const DEFAULT_GATEWAY: GatewayBehaviour = { latencyMs: 0, failureRate: 0 };

/**
 * Per-sandbox limits and gateway behaviour, over the documented defaults. A top-up reads them when it is
 * requested and when it settles, so each process keeps them until the sandbox announces a change (an
 * update, a reset).
 */
@Injectable()
export class TopupSettingsStore {
  private readonly cache: SandboxCache<TopupSettings>;

  constructor(
    private readonly db: Database,
    private readonly settings: TopupSettingsRepository,
    changes: SandboxChanges,
  ) {
    this.cache = new SandboxCache(changes, async (sandboxId) => {
      const overrides = await this.settings.find(this.db, sandboxId);
      return { limits: mergeLimits(overrides?.limits ?? {}), gateway: { ...DEFAULT_GATEWAY, ...(overrides?.gateway ?? {}) } };
    });
  }

  get(sandboxId: string): Promise<TopupSettings> {
    return this.cache.get(sandboxId);
  }
}
