import { Injectable } from '@nestjs/common';
import { Database, DomainError } from '#core';
import { type SandboxKey, SandboxRepository } from '../sandbox.repository.js';

/** Stops a key now, in every process (sandbox keys are looked up on every request); a rolled key's grace period ends early. */
@Injectable()
export class RevokeSandboxKey {
  constructor(
    private readonly db: Database,
    private readonly sandboxes: SandboxRepository,
  ) {}

  execute(sandboxId: string, keyId: string): Promise<SandboxKey> {
    return this.db.transaction(async (tx) => {
      // One revoke of the sandbox at a time: two revokes at once cannot each leave the other as the last secret key.
      await this.sandboxes.lock(tx, sandboxId);
      const state = await this.sandboxes.findKeyState(tx, sandboxId, keyId);
      if (!state?.live) throw DomainError.notFound('key', keyId);
      if (
        state.kind === 'secret' &&
        state.revokedAt === null &&
        (await this.sandboxes.countLastingSecretKeys(tx, sandboxId, keyId)) === 0
      ) {
        throw new DomainError(
          'last_secret_key',
          'This is the last secret key that does not expire: roll it instead, which issues its replacement',
        );
      }
      return (await this.sandboxes.revokeKey(tx, sandboxId, keyId))!;
    });
  }
}
