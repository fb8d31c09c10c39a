import { Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { Keyring } from './keyring.js';

/** Fifteen minutes, on the sandbox clock. */
export const ACCESS_TOKEN_SECONDS = 15 * 60;
const ISSUER = 'wallet-sandbox';
const AUDIENCE = 'wallet-sandbox:customer';
/** Pinned: nothing else verifies, whatever the token's header claims (no `none`, no RS/HS confusion). */
const ALGORITHM = 'HS256' as const;

export interface AccessClaims {
  sandboxId: string;
  userId: string;
  walletId: string;
  sessionId: string;
  deviceId: string;
}

@Injectable()
export class AccessTokens {
  constructor(private readonly keyring: Keyring) {}

  sign(claims: AccessClaims, nowSeconds: number): string {
    return jwt.sign(
      {
        sbx: claims.sandboxId,
        wal: claims.walletId,
        sid: claims.sessionId,
        did: claims.deviceId,
        iat: nowSeconds,
        exp: nowSeconds + ACCESS_TOKEN_SECONDS,
      },
      this.keyring.accessTokenKey(claims.sandboxId),
      { algorithm: ALGORITHM, subject: claims.userId, issuer: ISSUER, audience: AUDIENCE },
    );
  }

  /** What a token says of itself, read before verification only to pick the key and prefetch the session. */
  claimed(token: string): { sandboxId: string; sessionId: string } | null {
    const payload = jwt.decode(token, { json: true });
    return typeof payload?.sbx === 'string' && typeof payload.sid === 'string' ? { sandboxId: payload.sbx, sessionId: payload.sid } : null;
  }

  /** Verifies signature, algorithm, issuer, audience and expiry (against sandbox time); null when any fails. */
  verify(token: string, sandboxId: string, nowSeconds: number): AccessClaims | null {
    try {
      const payload = jwt.verify(token, this.keyring.accessTokenKey(sandboxId), {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        audience: AUDIENCE,
        clockTimestamp: nowSeconds,
      });
      if (typeof payload === 'string' || payload.sbx !== sandboxId) return null;
      const { sub, wal, sid, did } = payload;
      if (typeof sub !== 'string' || typeof wal !== 'string' || typeof sid !== 'string' || typeof did !== 'string') return null;
      return { sandboxId, userId: sub, walletId: wal, sessionId: sid, deviceId: did };
    } catch {
      return null;
    }
  }
}
