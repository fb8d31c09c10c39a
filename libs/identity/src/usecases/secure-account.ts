import { Injectable } from '@nestjs/common';
import { Database, type SandboxContext } from '#core';
import { SessionsRepository } from '../sessions.repository.js';
import { EndSessions, type SessionHolder } from './end-sessions.js';

/** The account was taken over (fraud confirmed it): every session ends and every device must pass the second factor again. */
@Injectable()
export class SecureAccount {
  constructor(
    private readonly db: Database,
    private readonly sessions: SessionsRepository,
    private readonly endSessions: EndSessions,
  ) {}

  async execute(sandbox: SandboxContext, holder: SessionHolder): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.endSessions.end(tx, sandbox, holder, 'fraud_confirmed');
      await this.sessions.forgetDevices(tx, sandbox.id, holder.id, null);
    });
  }
}
