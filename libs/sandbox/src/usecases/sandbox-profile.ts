import { Injectable } from '@nestjs/common';
import { Database, DomainError, type SandboxContext, type SandboxTime, newId } from '#core';
import { issueKey } from '../sandbox-keys.js';
import { SandboxRepository } from '../sandbox.repository.js';

export interface SandboxView {
  id: string;
  name: string;
  securityProfile: string;
  simulatedClientIps: boolean;
  createdAt: string;
  clock: { now: string; offsetSeconds: number };
}

export function clockOf(time: SandboxTime): { now: string; offsetSeconds: number } {
  return { now: time.now().toISOString(), offsetSeconds: Math.floor(time.offsetMs / 1000) };
}

/** What the holder of a secret key sees of its sandbox, and the publishable keys it hands to apps. */
@Injectable()
export class SandboxProfile {
  constructor(
    private readonly db: Database,
    private readonly sandboxes: SandboxRepository,
  ) {}

  async view(sandbox: SandboxContext): Promise<SandboxView> {
    const record = await this.sandboxes.find(this.db, sandbox.id);
    if (!record) throw new DomainError('not_found', 'No such sandbox');
    return {
      id: record.id,
      name: record.name,
      securityProfile: record.securityProfile,
      simulatedClientIps: record.simulatedClientIps,
      createdAt: record.createdAt.toISOString(),
      clock: clockOf(sandbox.time),
    };
  }

  /** A new pk_test_ for an app (the console takes one per browser session); the sandbox's other keys stay valid. */
  async issuePublishableKey(sandbox: SandboxContext): Promise<{ id: string; publishableKey: string; createdAt: string }> {
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
