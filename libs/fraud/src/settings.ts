import { Injectable } from '@nestjs/common';
import { Database, DomainError, SandboxCache, SandboxChanges } from '#core';
import { type FraudSettings, type SettingsPatch, mergeSettings, thresholdsProblem } from './rules.js';

/**
 * Per-sandbox rule settings over the documented defaults. Every observed
 * event needs them, so each process keeps them until the sandbox announces
 * a change (an update here, a reset).
 */
@Injectable()
export class FraudSettingsStore {
  private readonly cache: SandboxCache<FraudSettings>;

  constructor(
    private readonly db: Database,
    private readonly changes: SandboxChanges,
  ) {
    this.cache = new SandboxCache(changes, async (sandboxId) => mergeSettings(await this.patch(sandboxId)));
  }

  async patch(sandboxId: string): Promise<SettingsPatch> {
    const [row] = await this.db.rows<{ config: SettingsPatch }>(`SELECT config FROM fraud_settings WHERE sandbox_id = $1`, [sandboxId]);
    return row?.config ?? {};
  }

  get(sandboxId: string): Promise<FraudSettings> {
    return this.cache.get(sandboxId);
  }

  async update(sandboxId: string, body: SettingsPatch): Promise<FraudSettings> {
    // As JSON has it: a field the body left out (undefined after validation) changes nothing.
    const patch = JSON.parse(JSON.stringify(body)) as SettingsPatch;
    const current = await this.patch(sandboxId);
    const rules = { ...current.rules };
    for (const [id, setting] of Object.entries(patch.rules ?? {}))
      rules[id as keyof typeof rules] = { ...rules[id as keyof typeof rules], ...setting };
    const next: SettingsPatch = { ...current, ...patch, rules, thresholds: { ...current.thresholds, ...patch.thresholds } };
    const merged = mergeSettings(next);
    // Checked on the result: a patch of one threshold must still agree with the others.
    const problem = thresholdsProblem(merged.thresholds);
    if (problem) throw DomainError.invalid([{ field: 'thresholds', message: problem }]);
    await this.db.rows(
      `INSERT INTO fraud_settings (sandbox_id, config) VALUES ($1, $2) ON CONFLICT (sandbox_id) DO UPDATE SET config = EXCLUDED.config`,
      [sandboxId, JSON.stringify(next)],
    );
    await this.changes.announce(sandboxId);
    return merged;
  }
}
