import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Credentials, Database, type Principal, isId } from '#core';
import { SandboxContexts } from '#sandbox';
import { AccessTokens } from './access-tokens.js';
import { SessionsRepository } from './sessions.repository.js';

/**
 * Turns a customer's access token into a principal: a valid signature with
 * the sandbox's own key, not expired on the sandbox clock, and a session
 * that is still open (logout, password change or reset close it at once).
 */
@Injectable()
export class AccessTokenResolver implements OnModuleInit {
  constructor(
    private readonly credentials: Credentials,
    private readonly db: Database,
    private readonly sandboxes: SandboxContexts,
    private readonly sessions: SessionsRepository,
    private readonly accessTokens: AccessTokens,
  ) {}

  onModuleInit(): void {
    this.credentials.register('access_token', (token) => this.resolve(token));
  }

  private async resolve(token: string): Promise<Principal | null> {
    const claimed = this.accessTokens.claimed(token);
    if (!claimed || !isId(claimed.sandboxId, 'sbx') || !isId(claimed.sessionId, 'ses')) return null;
    // Both at once (the sandbox is mostly cached); nothing is trusted until the signature checks out. The
    // session is read every time: a session that ended stops its tokens at once, in every process.
    const [context, session] = await Promise.all([
      this.sandboxes.get(claimed.sandboxId),
      this.sessions.findSession(this.db, claimed.sandboxId, claimed.sessionId),
    ]);
    if (!context || !session) return null;
    const now = context.time.now();
    const claims = this.accessTokens.verify(token, context.id, Math.floor(now.getTime() / 1000));
    if (!claims || session.revokedAt || session.expiresAt <= now || session.userId !== claims.userId) return null;
    return {
      kind: 'user',
      sandbox: context,
      userId: claims.userId,
      walletId: claims.walletId,
      sessionId: session.id,
      deviceId: claims.deviceId,
      steppedUpUntil: session.steppedUpUntil,
    };
  }
}
