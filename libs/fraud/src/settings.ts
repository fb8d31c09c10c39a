import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Database, SandboxChanges } from '#core';
import { type FraudSettings, type SettingsPatch, mergeSettings } from './rules.js';

const MAX_CACHED = 1_000;

/**
 * Per-sandbox rule settings over the documented defaults. Every observed
 * event needs them, so each process keeps them until the sandbox announces
 * a change (an update here, a reset).
 */
@Injectable()
export class FraudSettingsStore implements OnModuleInit {
  private readonly cache = new Map<string, FraudSettings>();
  /** Bumped by every change, so a read that raced one is not cached. */
  private generation = 0;

  constructor(
    private readonly db: Database,
    private readonly changes: SandboxChanges,
  ) {}

  onModuleInit(): void {
    this.changes.onChange((sandboxId) => {
      this.generation++;
      this.cache.delete(sandboxId);
    });
  }

  async patch(sandboxId: string): Promise<SettingsPatch> {
    const [row] = await this.db.rows<{ config: SettingsPatch }>(`SELECT config FROM fraud_settings WHERE sandbox_id = $1`, [sandboxId]);
    return row?.config ?? {};
  }

  async get(sandboxId: string): Promise<FraudSettings> {
    const cached = this.cache.get(sandboxId);
    if (cached) return cached;
    const generation = this.generation;
    const settings = mergeSettings(await this.patch(sandboxId));
    if (generation !== this.generation) return settings;
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(sandboxId, settings);
    return settings;
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
    await this.changes.announce(sandboxId);
    return mergeSettings(next);
  }
}
