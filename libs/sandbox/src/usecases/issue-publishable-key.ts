import { Injectable } from '@nestjs/common';
import { Database, type SandboxContext, newId } from '#core';
import { issueKey } from '../sandbox-keys.js';
import { SandboxRepository } from '../sandbox.repository.js';

/** A new pk_test_ for an app (the console takes one per browser session); the sandbox's other keys stay valid. */
@Injectable()
export class IssuePublishableKey {
  constructor(
    private readonly db: Database,
    private readonly sandboxes: SandboxRepository,
  ) {}

  async execute(sandbox: SandboxContext): Promise<{ id: string; publishableKey: string; createdAt: string }> {
    const key = issueKey('publishable');
    const id = newId('key');
    const createdAt = await this.sandboxes.insertKey(this.db, {
      id,
      sandboxId: sandbox.id,
      kind: key.kind,
      hash: key.hash,
      hint: key.hint,
    });
    return { id, publishableKey: key.plaintext, createdAt: createdAt.toISOString() };
  }
}
