import { Injectable } from '@nestjs/common';
import { type ClientFacts, type Queryable, type SandboxContext, randomSecret, sha256Hex } from '#core';
import { ACCESS_TOKEN_SECONDS, AccessTokens } from '../access-tokens.js';
import { SessionsRepository } from '../sessions.repository.js';

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** A session lives 30 days of sandbox time from sign-in; each refresh rotates its refresh token. */
const SESSION_DAYS = 30;
/** How long a passed second factor counts for money-moving calls (API.md: 10 minutes). */
export const STEP_UP_SECONDS = 10 * 60;

export interface SessionOwner {
  sandbox: SandboxContext;
  userId: string;
  walletId: string;
}

/** Opens sessions and mints their tokens. */
@Injectable()
export class OpenSession {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly accessTokens: AccessTokens,
  ) {}

  async open(
    q: Queryable,
    owner: SessionOwner,
    deviceId: string,
    client: ClientFacts,
    steppedUp: boolean,
  ): Promise<Tokens & { sessionId: string }> {
    const at = owner.sandbox.time.now();
    const sessionId = await this.sessions.createSession(q, {
      sandboxId: owner.sandbox.id,
      userId: owner.userId,
      deviceId,
      ip: client.ip,
      userAgent: client.userAgent,
      steppedUpUntil: steppedUp ? new Date(at.getTime() + STEP_UP_SECONDS * 1000) : null,
      at,
      expiresAt: new Date(at.getTime() + SESSION_DAYS * 86_400_000),
    });
    return { sessionId, ...(await this.tokens(q, owner, sessionId, deviceId)) };
  }

  /** A fresh access token and a new refresh token (the only one of the session still usable). */
  async tokens(q: Queryable, owner: SessionOwner, sessionId: string, deviceId: string): Promise<Tokens> {
    const at = owner.sandbox.time.now();
    const refreshToken = `rt_${randomSecret(43)}`;
    await this.sessions.insertRefreshToken(q, {
      hash: sha256Hex(refreshToken),
      sandboxId: owner.sandbox.id,
      sessionId,
      at,
      expiresAt: new Date(at.getTime() + SESSION_DAYS * 86_400_000),
    });
    const accessToken = this.accessTokens.sign(
      { sandboxId: owner.sandbox.id, userId: owner.userId, walletId: owner.walletId, sessionId, deviceId },
      Math.floor(at.getTime() / 1000),
    );
    return { accessToken, refreshToken, expiresIn: ACCESS_TOKEN_SECONDS };
  }
}
