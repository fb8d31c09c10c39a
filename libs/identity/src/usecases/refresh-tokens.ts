import { Injectable } from '@nestjs/common';
import { Database, DomainError, type SandboxContext, sha256Hex } from '#core';
import { SessionsRepository } from '../sessions.repository.js';
import { UsersRepository } from '../users.repository.js';
import { EndSessions } from './end-sessions.js';
import { OpenSession, type Tokens } from './open-session.js';

const INVALID = 'The refresh token is not valid';

/**
 * Rotates a refresh token. A token used twice means it was copied: the whole
 * session (its token family) is revoked, for the thief and the owner alike.
 */
@Injectable()
export class RefreshTokens {
  constructor(
    private readonly db: Database,
    private readonly sessions: SessionsRepository,
    private readonly users: UsersRepository,
    private readonly endSessions: EndSessions,
    private readonly issuer: OpenSession,
  ) {}

  async execute(sandbox: SandboxContext, refreshToken: string): Promise<Tokens> {
    const hash = sha256Hex(refreshToken);
    const result = await this.db.transaction(async (tx): Promise<Tokens | null> => {
      const token = await this.sessions.lockRefreshToken(tx, sandbox.id, hash);
      if (!token || token.sandboxId !== sandbox.id) return null;
      const session = await this.sessions.findSession(tx, sandbox.id, token.sessionId);
      if (!session || session.revokedAt) return null;
      const user = await this.users.findById(tx, sandbox.id, session.userId);
      if (!user) return null;
      if (token.rotatedAt) {
        await this.endSessions.end(tx, sandbox, user, 'refresh_token_reuse', { only: session.id });
        return null;
      }
      const now = sandbox.time.now();
      if (token.expiresAt <= now || session.expiresAt <= now) return null;
      await this.sessions.markRotated(tx, sandbox.id, hash, now);
      await this.sessions.touch(tx, sandbox.id, session.id, now);
      return this.issuer.tokens(tx, { sandbox, userId: user.id, walletId: user.walletId }, session.id, session.deviceId);
    });
    if (!result) throw new DomainError('unauthenticated', INVALID);
    return result;
  }
}
