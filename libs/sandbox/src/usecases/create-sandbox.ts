import { Injectable } from '@nestjs/common';
import { Database, Outbox, type SecurityProfile, SandboxTime, Topic, newId } from '#core';
import { LedgerService } from '#ledger';
import { issueKey } from '../sandbox-keys.js';
import { SandboxRepository } from '../sandbox.repository.js';

export interface CreatedSandbox {
  id: string;
  name: string;
  securityProfile: SecurityProfile;
  secretKey: string;
  publishableKey: string;
  createdAt: string;
}

/** A new isolated tenant with its keys (returned once) and its ledger's system accounts. */
@Injectable()
export class CreateSandbox {
  constructor(
    private readonly db: Database,
    private readonly sandboxes: SandboxRepository,
    private readonly ledger: LedgerService,
    private readonly outbox: Outbox,
  ) {}

  async execute(input: { name: string; securityProfile: SecurityProfile }): Promise<CreatedSandbox> {
    const secret = issueKey('secret');
    const publishable = issueKey('publishable');
    return this.db.transaction(async (tx) => {
      const sandbox = await this.sandboxes.insert(tx, { id: newId('sbx'), name: input.name, securityProfile: input.securityProfile });
      for (const key of [secret, publishable]) {
        await this.sandboxes.insertKey(tx, { id: newId('key'), sandboxId: sandbox.id, kind: key.kind, hash: key.hash, hint: key.hint });
      }
      const now = new SandboxTime(0).now();
      await this.ledger.openSystemAccounts(tx, sandbox.id, now);
      await this.outbox.publish(tx, {
        sandboxId: sandbox.id,
        type: Topic.SandboxCreated,
        data: { sandboxId: sandbox.id, name: sandbox.name, securityProfile: sandbox.securityProfile },
        occurredAt: now,
      });
      return {
        id: sandbox.id,
        name: sandbox.name,
        securityProfile: sandbox.securityProfile,
        secretKey: secret.plaintext,
        publishableKey: publishable.plaintext,
        createdAt: sandbox.createdAt.toISOString(),
      };
    });
  }
}
