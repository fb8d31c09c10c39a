import { Injectable } from '@nestjs/common';
import { Database, DomainError, SandboxChanges } from '#core';
import { FraudSettingsRepository } from '../fraud-settings.repository.js';
import { type FraudSettings, type SettingsPatch, mergeSettings, thresholdsProblem } from '../rules.js';

/** The operator tunes the sandbox's rules, thresholds and hold policy; every process hears of the change. */
@Injectable()
export class UpdateFraudSettings {
  constructor(
    private readonly db: Database,
    private readonly settings: FraudSettingsRepository,
    private readonly changes: SandboxChanges,
  ) {}

  async update(sandboxId: string, body: SettingsPatch): Promise<FraudSettings> {
    // As JSON has it: a field the body left out (undefined after validation) changes nothing.
    const patch = JSON.parse(JSON.stringify(body)) as SettingsPatch;
    const current = (await this.settings.find(this.db, sandboxId)) ?? {};
    const rules = { ...current.rules };
    for (const [id, setting] of Object.entries(patch.rules ?? {}))
      rules[id as keyof typeof rules] = { ...rules[id as keyof typeof rules], ...setting };
    const next: SettingsPatch = { ...current, ...patch, rules, thresholds: { ...current.thresholds, ...patch.thresholds } };
    const merged = mergeSettings(next);
    // Checked on the result: a patch of one threshold must still agree with the others.
    const problem = thresholdsProblem(merged.thresholds);
    if (problem) throw DomainError.invalid([{ field: 'thresholds', message: problem }]);
    await this.settings.save(this.db, sandboxId, next);
    await this.changes.announce(sandboxId);
    return merged;
  }
}
