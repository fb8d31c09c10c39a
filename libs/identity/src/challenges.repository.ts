import { Injectable } from '@nestjs/common';
import type { Queryable } from '#core';

export type ChallengePurpose = 'login' | 'step_up' | 'phone_change';
export type ChallengeMethod = 'sms' | 'totp';

export interface Challenge {
  id: string;
  userId: string;
  purpose: ChallengePurpose;
  method: ChallengeMethod;
  codeHash: string | null;
  sessionId: string | null;
  deviceHash: string | null;
  userAgent: string | null;
  /** phone_change only: the number the code was sent to, which becomes the account's once it is entered. */
  phone: string | null;
  attempts: number;
  createdAt: Date;
  expiresAt: Date;
  consumedAt: Date | null;
}

interface ChallengeRow {
  id: string;
  user_id: string;
  purpose: ChallengePurpose;
  method: ChallengeMethod;
  code_hash: string | null;
  session_id: string | null;
  device_hash: string | null;
  user_agent: string | null;
  phone: string | null;
  attempts: number;
  created_at: Date;
  expires_at: Date;
  consumed_at: Date | null;
}

/** An e-mail change waiting for its new address to be confirmed. */
export interface EmailChangeToken {
  sandboxId: string;
  userId: string;
  email: string;
  expiresAt: Date;
  usedAt: Date | null;
}

/** Second-factor challenges, password-reset tokens and e-mail change tokens. */
@Injectable()
export class ChallengesRepository {
  /** Deletes the sandbox's challenges, reset tokens and e-mail changes (sandbox reset). */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    for (const table of ['identity_challenges', 'identity_reset_tokens', 'identity_email_changes'])
      await q.rows(`DELETE FROM ${table} WHERE sandbox_id = $1`, [sandboxId]);
  }

  async insert(
    q: Queryable,
    c: {
      sandboxId: string;
      id: string;
      userId: string;
      purpose: ChallengePurpose;
      method: ChallengeMethod;
      codeHash: string | null;
      sessionId: string | null;
      deviceHash: string | null;
      userAgent: string | null;
      ip: string;
      phone: string | null;
      at: Date;
      expiresAt: Date;
    },
  ): Promise<void> {
    await q.rows(
      `INSERT INTO identity_challenges (sandbox_id, id, user_id, purpose, method, code_hash, session_id, device_hash, user_agent, ip, phone, expires_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        c.sandboxId,
        c.id,
        c.userId,
        c.purpose,
        c.method,
        c.codeHash,
        c.sessionId,
        c.deviceHash,
        c.userAgent,
        c.ip,
        c.phone,
        c.expiresAt,
        c.at,
      ],
    );
  }

  async lock(q: Queryable, sandboxId: string, id: string): Promise<Challenge | null> {
    const [row] = await q.rows<ChallengeRow>(`SELECT * FROM identity_challenges WHERE sandbox_id = $1 AND id = $2 FOR UPDATE`, [
      sandboxId,
      id,
    ]);
    return row
      ? {
          id: row.id,
          userId: row.user_id,
          purpose: row.purpose,
          method: row.method,
          codeHash: row.code_hash,
          sessionId: row.session_id,
          deviceHash: row.device_hash,
          userAgent: row.user_agent,
          phone: row.phone,
          attempts: row.attempts,
          createdAt: row.created_at,
          expiresAt: row.expires_at,
          consumedAt: row.consumed_at,
        }
      : null;
  }

  async recordAttempt(q: Queryable, sandboxId: string, id: string): Promise<number> {
    const [row] = await q.rows<{ attempts: number }>(
      `UPDATE identity_challenges SET attempts = attempts + 1 WHERE sandbox_id = $1 AND id = $2 RETURNING attempts`,
      [sandboxId, id],
    );
    return row.attempts;
  }

  async consume(q: Queryable, sandboxId: string, id: string, at: Date): Promise<void> {
    await q.rows(`UPDATE identity_challenges SET consumed_at = $3 WHERE sandbox_id = $1 AND id = $2`, [sandboxId, id, at]);
  }

  async insertResetToken(
    q: Queryable,
    token: { hash: string; sandboxId: string; userId: string; at: Date; expiresAt: Date },
  ): Promise<void> {
    await q.rows(
      `INSERT INTO identity_reset_tokens (token_hash, sandbox_id, user_id, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)`,
      [token.hash, token.sandboxId, token.userId, token.expiresAt, token.at],
    );
  }

  async lockResetToken(
    q: Queryable,
    sandboxId: string,
    hash: string,
  ): Promise<{ sandboxId: string; userId: string; expiresAt: Date; usedAt: Date | null } | null> {
    const [row] = await q.rows<{ sandbox_id: string; user_id: string; expires_at: Date; used_at: Date | null }>(
      `SELECT sandbox_id, user_id, expires_at, used_at FROM identity_reset_tokens WHERE sandbox_id = $1 AND token_hash = $2 FOR UPDATE`,
      [sandboxId, hash],
    );
    return row ? { sandboxId: row.sandbox_id, userId: row.user_id, expiresAt: row.expires_at, usedAt: row.used_at } : null;
  }

  /** Uses up every outstanding reset token of the user: one reset ends them all. */
  async useResetTokens(q: Queryable, sandboxId: string, userId: string, at: Date): Promise<void> {
    await q.rows(`UPDATE identity_reset_tokens SET used_at = $3 WHERE sandbox_id = $1 AND user_id = $2 AND used_at IS NULL`, [
      sandboxId,
      userId,
      at,
    ]);
  }

  async insertEmailChange(
    q: Queryable,
    change: { hash: string; sandboxId: string; userId: string; email: string; at: Date; expiresAt: Date },
  ): Promise<void> {
    await q.rows(
      `INSERT INTO identity_email_changes (token_hash, sandbox_id, user_id, email, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [change.hash, change.sandboxId, change.userId, change.email, change.expiresAt, change.at],
    );
  }

  async lockEmailChange(q: Queryable, sandboxId: string, hash: string): Promise<EmailChangeToken | null> {
    const [row] = await q.rows<{ sandbox_id: string; user_id: string; email: string; expires_at: Date; used_at: Date | null }>(
      `SELECT sandbox_id, user_id, email, expires_at, used_at FROM identity_email_changes WHERE sandbox_id = $1 AND token_hash = $2 FOR UPDATE`,
      [sandboxId, hash],
    );
    return row
      ? { sandboxId: row.sandbox_id, userId: row.user_id, email: row.email, expiresAt: row.expires_at, usedAt: row.used_at }
      : null;
  }

  /** Uses up every outstanding e-mail change of the user: the address changes once. */
  async useEmailChanges(q: Queryable, sandboxId: string, userId: string, at: Date): Promise<void> {
    await q.rows(`UPDATE identity_email_changes SET used_at = $3 WHERE sandbox_id = $1 AND user_id = $2 AND used_at IS NULL`, [
      sandboxId,
      userId,
      at,
    ]);
  }
}
