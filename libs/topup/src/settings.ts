import { Injectable } from '@nestjs/common';
import { Database, type TopupChannel } from '#core';
import type { GatewayBehaviour } from './card-network.js';
import { type LimitOverrides, type TopupLimits, mergeLimits } from './limits.js';

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
  constructor(private readonly db: Database) {}

  async get(sandboxId: string): Promise<TopupSettings> {
    const [row] = await this.db.rows<{ limits: LimitOverrides; gateway: Partial<GatewayBehaviour> }>(
      `SELECT limits, gateway FROM topup_settings WHERE sandbox_id = $1`,
      [sandboxId],
    );
    return { limits: mergeLimits(row?.limits ?? {}), gateway: { ...DEFAULT_GATEWAY, ...(row?.gateway ?? {}) } };
  }

  async update(sandboxId: string, patch: SettingsPatch): Promise<TopupSettings> {
    const current = await this.db.rows<{ limits: LimitOverrides; gateway: Partial<GatewayBehaviour> }>(
      `SELECT limits, gateway FROM topup_settings WHERE sandbox_id = $1`,
      [sandboxId],
    );
    const limits: LimitOverrides = { ...(current[0]?.limits ?? {}), ...patch.limits };
    if (patch.limits?.channels) {
      const channels = { ...(current[0]?.limits?.channels ?? {}) };
      for (const [channel, limit] of Object.entries(patch.limits.channels) as Array<[TopupChannel, object]>)
        channels[channel] = { ...channels[channel], ...limit };
      limits.channels = channels;
    }
    const gateway = { ...(current[0]?.gateway ?? {}), ...patch.gateway };
    await this.db.rows(
      `INSERT INTO topup_settings (sandbox_id, limits, gateway) VALUES ($1, $2, $3)
       ON CONFLICT (sandbox_id) DO UPDATE SET limits = EXCLUDED.limits, gateway = EXCLUDED.gateway`,
      [sandboxId, JSON.stringify(limits), JSON.stringify(gateway)],
    );
    return this.get(sandboxId);
  }
}
