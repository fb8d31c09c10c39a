import { Injectable } from '@nestjs/common';
import type { Queryable } from '#core';
import type { GatewayBehaviour } from './card-network.js';
import type { LimitOverrides } from './limits.js';

/** What a sandbox changed of the defaults, as stored. */
export interface TopupSettingsOverrides {
  limits: LimitOverrides;
  gateway: Partial<GatewayBehaviour>;
}

@Injectable()
export class TopupSettingsRepository {
  /** The sandbox's overrides, or null when it kept the defaults. */
  async find(q: Queryable, sandboxId: string): Promise<TopupSettingsOverrides | null> {
    const [row] = await q.rows<{ limits: LimitOverrides; gateway: Partial<GatewayBehaviour> }>(
      `SELECT limits, gateway FROM topup_settings WHERE sandbox_id = $1`,
      [sandboxId],
    );
    return row ?? null;
  }

  async save(q: Queryable, sandboxId: string, overrides: TopupSettingsOverrides): Promise<void> {
    await q.rows(
      `INSERT INTO topup_settings (sandbox_id, limits, gateway) VALUES ($1, $2, $3)
       ON CONFLICT (sandbox_id) DO UPDATE SET limits = EXCLUDED.limits, gateway = EXCLUDED.gateway`,
      [sandboxId, JSON.stringify(overrides.limits), JSON.stringify(overrides.gateway)],
    );
  }

  /** A sandbox reset wipes its settings. */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    await q.rows(`DELETE FROM topup_settings WHERE sandbox_id = $1`, [sandboxId]);
  }
}
