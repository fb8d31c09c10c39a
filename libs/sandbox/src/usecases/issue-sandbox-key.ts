import { Injectable } from '@nestjs/common';
import { Database, DomainError, type Queryable, newId } from '#core';
import { type KeyKind, issueKey } from '../sandbox-keys.js';
import { type SandboxKey, SandboxRepository } from '../sandbox.repository.js';

export interface IssuedSandboxKey extends SandboxKey {
  /** The key itself: shown this once, stored only as a hash. */
  key: string;
}

/**
 * A new key of a sandbox; its other keys stay valid. A publishable key for
 * an app (the console takes one per browser session), a secret key from the
 * platform admin for an operator who lost theirs, or a roll's replacement.
 */
@Injectable()
export class IssueSandboxKey {
  constructor(
    private readonly db: Database,
    private readonly sandboxes: SandboxRepository,
  ) {}

  async execute(sandboxId: string, kind: KeyKind, q: Queryable = this.db): Promise<IssuedSandboxKey> {
    if (!(await this.sandboxes.find(q, sandboxId))) throw DomainError.notFound('sandbox', sandboxId);
    const issued = issueKey(kind);
    const id = newId('key');
    const createdAt = await this.sandboxes.insertKey(q, { id, sandboxId, kind, hash: issued.hash, hint: issued.hint });
    return { id, kind, keyHint: issued.hint, createdAt: createdAt.toISOString(), revokedAt: null, key: issued.plaintext };
  }
}
