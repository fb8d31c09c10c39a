import { Injectable } from '@nestjs/common';
import { Database, Outbox, SandboxChanges, SandboxData, type SandboxContext } from '#core';
import { SandboxRepository } from '../sandbox.repository.js';

/**
 * Wipes every module's data of one sandbox in one transaction; keys, the
 * clock (which never goes back) and the security profile stay.
 */
@Injectable()
export class ResetSandbox {
  constructor(
    private readonly db: Database,
    private readonly sandboxes: SandboxRepository,
    private readonly sandboxData: SandboxData,
    private readonly outbox: Outbox,
    private readonly changes: SandboxChanges,
  ) {}

  async execute(sandbox: SandboxContext): Promise<{ id: string; resetAt: string }> {
    return this.db.transaction(async (tx) => {
      await this.sandboxes.lock(tx, sandbox.id);
      tx.afterCommit(() => this.changes.announce(sandbox.id));
      await this.sandboxData.wipeAll(tx, sandbox.id);
      const now = sandbox.time.now();
      await this.outbox.publish(tx, { sandboxId: sandbox.id, type: 'sandbox.reset', data: { sandboxId: sandbox.id }, occurredAt: now });
      return { id: sandbox.id, resetAt: now.toISOString() };
    });
  }
}
