import { Injectable } from '@nestjs/common';
import { Database, DomainError, type UserPrincipal } from '#core';
import { type Session, SessionsRepository } from '../sessions.repository.js';
import { EndSessions, holderOf } from './end-sessions.js';

/** The signed-in customer's open sessions: listed, one ended, or this one signed out. */
@Injectable()
export class ManageSessions {
  constructor(
    private readonly db: Database,
    private readonly sessions: SessionsRepository,
    private readonly endSessions: EndSessions,
  ) {}

  async list(me: UserPrincipal): Promise<Array<Session & { current: boolean }>> {
    const sessions = await this.sessions.listActiveSessions(this.db, me.sandbox.id, me.userId, me.sandbox.time.now());
    return sessions.map((session) => ({ ...session, current: session.id === me.sessionId }));
  }

  async end(me: UserPrincipal, sessionId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const ended = await this.endSessions.end(tx, me.sandbox, holderOf(me), 'ended_by_user', { only: sessionId });
      if (ended === 0) throw DomainError.notFound('session', sessionId);
    });
  }

  async logout(me: UserPrincipal): Promise<void> {
    await this.db.transaction((tx) => this.endSessions.end(tx, me.sandbox, holderOf(me), 'logout', { only: me.sessionId }));
  }
}
