import { Injectable } from '@nestjs/common';
import { Database, type Page } from '#core';
import { type SandboxKey, SandboxRepository } from '../sandbox.repository.js';

/** The sandbox's keys that still work (those in a roll's grace period too), newest first. */
@Injectable()
export class ListSandboxKeys {
  constructor(
    private readonly db: Database,
    private readonly sandboxes: SandboxRepository,
  ) {}

  execute(sandboxId: string, query: { limit: number; startingAfter?: string }): Promise<Page<SandboxKey>> {
    return this.sandboxes.listKeys(this.db, sandboxId, query);
  }
}
