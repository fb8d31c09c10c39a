import { Injectable } from '@nestjs/common';
import type { Queryable } from '#core';
import type { SettingsPatch } from './rules.js';

/** What each sandbox changed of the documented rule settings. */
@Injectable()
export class FraudSettingsRepository {
  /** The sandbox's changes, or null when it kept the defaults. */
  async find(q: Queryable, sandboxId: string): Promise<SettingsPatch | null> {
    const [row] = await q.rows<{ config: SettingsPatch }>(`SELECT config FROM fraud_settings WHERE sandbox_id = $1`, [sandboxId]);
    return row?.config ?? null;
  }

  async save(q: Queryable, sandboxId: string, patch: SettingsPatch): Promise<void> {
    await q.rows(
      `INSERT INTO fraud_settings (sandbox_id, config) VALUES ($1, $2) ON CONFLICT (sandbox_id) DO UPDATE SET config = EXCLUDED.config`,
      [sandboxId, JSON.stringify(patch)],
    );
  }

  /** A sandbox reset wipes its settings. */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    await q.rows(`DELETE FROM fraud_settings WHERE sandbox_id = $1`, [sandboxId]);
  }
}
