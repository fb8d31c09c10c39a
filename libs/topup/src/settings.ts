import { Injectable } from '@nestjs/common';
import { Database } from '#core';
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

/** Per-sandbox limits and gateway behaviour, over the documented defaults. */
@Injectable()
export class TopupSettingsStore {
  constructor(
    private readonly db: Database,
    private readonly settings: TopupSettingsRepository,
  ) {}

  async get(sandboxId: string): Promise<TopupSettings> {
    const overrides = await this.settings.find(this.db, sandboxId);
    return { limits: mergeLimits(overrides?.limits ?? {}), gateway: { ...DEFAULT_GATEWAY, ...(overrides?.gateway ?? {}) } };
  }
}
