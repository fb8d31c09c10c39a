import { Injectable } from '@nestjs/common';
import { Database, SandboxChanges, type TopupChannel } from '#core';
import type { LimitOverrides } from '../limits.js';
import { type SettingsPatch, type TopupSettings, TopupSettingsStore } from '../settings.js';
import { TopupSettingsRepository } from '../topup-settings.repository.js';

/** The operator changes the sandbox's limits or the gateway's behaviour; what the patch leaves out stays as it was. */
@Injectable()
export class UpdateTopupSettings {
  constructor(
    private readonly db: Database,
    private readonly settings: TopupSettingsRepository,
    private readonly store: TopupSettingsStore,
    private readonly changes: SandboxChanges,
  ) {}

  async update(sandboxId: string, patch: SettingsPatch): Promise<TopupSettings> {
    const current = await this.settings.find(this.db, sandboxId);
    const limits: LimitOverrides = { ...(current?.limits ?? {}), ...patch.limits };
    if (patch.limits?.channels) {
      const channels = { ...(current?.limits?.channels ?? {}) };
      for (const [channel, limit] of Object.entries(patch.limits.channels) as Array<[TopupChannel, object]>)
        channels[channel] = { ...channels[channel], ...limit };
      limits.channels = channels;
    }
    const gateway = { ...(current?.gateway ?? {}), ...patch.gateway };
    await this.settings.save(this.db, sandboxId, { limits, gateway });
    // Every process forgets the settings it kept, this one at once.
    await this.changes.announce(sandboxId);
    return this.store.get(sandboxId);
  }
}
