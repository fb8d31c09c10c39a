import { Injectable } from '@nestjs/common';
import { Database, DomainError, type SandboxContext } from '#core';
import { SandboxRepository } from '../sandbox.repository.js';
import { type SandboxView, clockOf } from '../sandbox-view.js';

/** What the holder of a secret key sees of its sandbox. */
@Injectable()
export class GetSandbox {
  constructor(
    private readonly db: Database,
    private readonly sandboxes: SandboxRepository,
  ) {}

  async execute(sandbox: SandboxContext): Promise<SandboxView> {
    const record = await this.sandboxes.find(this.db, sandbox.id);
    if (!record) throw new DomainError('not_found', 'No such sandbox');
    return {
      id: record.id,
      name: record.name,
      securityProfile: record.securityProfile,
      simulatedClientIps: record.simulatedClientIps,
      stepUpAllowance: record.stepUpAllowance,
      createdAt: record.createdAt.toISOString(),
      clock: clockOf(sandbox.time),
    };
  }
}
