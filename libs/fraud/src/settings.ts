import { Injectable } from '@nestjs/common';
import { Database } from '#core';
import { type FraudSettings, type SettingsPatch, mergeSettings } from './rules.js';

/** Per-sandbox rule settings over the documented defaults. */
@Injectable()
export class FraudSettingsStore {
  constructor(private readonly db: Database) {}

  async patch(sandboxId: string): Promise<SettingsPatch> {
    const [row] = await this.db.rows<{ config: SettingsPatch }>(`SELECT config FROM fraud_settings WHERE sandbox_id = $1`, [sandboxId]);
    return row?.config ?? {};
  }

  async get(sandboxId: string): Promise<FraudSettings> {
    return mergeSettings(await this.patch(sandboxId));
  }

  async update(sandboxId: string, patch: SettingsPatch): Promise<FraudSettings> {
    const current = await this.patch(sandboxId);
    const rules = { ...current.rules };
    for (const [id, setting] of Object.entries(patch.rules ?? {}))
      rules[id as keyof typeof rules] = { ...rules[id as keyof typeof rules], ...setting };
    const next: SettingsPatch = { ...current, ...patch, rules, thresholds: { ...current.thresholds, ...patch.thresholds } };
    await this.db.rows(
      `INSERT INTO fraud_settings (sandbox_id, config) VALUES ($1, $2) ON CONFLICT (sandbox_id) DO UPDATE SET config = EXCLUDED.config`,
      [sandboxId, JSON.stringify(next)],
    );
    return mergeSettings(next);
  }
}
