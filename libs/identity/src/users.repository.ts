import { Injectable } from '@nestjs/common';
import { type Queryable, type SealedColumn, sealedColumn } from '#core';

/** PostgreSQL's SQLSTATE for a unique index refusing a row. */
const UNIQUE_VIOLATION = '23505';

export interface User {
  id: string;
  sandboxId: string;
  email: string;
  phone: string;
  birthday: string | null;
  passwordHash: string;
  walletId: string;
  /** Sealed TOTP seed; enabled once `totpEnabledAt` is set. */
  totpSecret: string | null;
  totpEnabledAt: Date | null;
  /** The TOTP time step of the last code accepted: a code of that step or an earlier one is used up. */
  totpLastStep: number | null;
  createdAt: Date;
  passwordChangedAt: Date;
  /** When the operator last forced every customer to reset their password. */
  passwordResetForcedAt: Date | null;
  /** The membership was closed: the account no longer signs in. */
  closedAt: Date | null;
}

/** What a batch over every customer needs: who they are and where to reach them. */
export interface Member {
  id: string;
  email: string;
  phone: string;
  walletId: string;
}

interface UserRow {
  id: string;
  sandbox_id: string;
  email: string;
  phone: string;
  birthday: string | null;
  password_hash: string;
  wallet_id: string;
  totp_secret: string | null;
  totp_enabled_at: Date | null;
  totp_last_step: string | null;
  created_at: Date;
  password_changed_at: Date;
  password_reset_forced_at: Date | null;
  closed_at: Date | null;
}

const toUser = (row: UserRow): User => ({
  id: row.id,
  sandboxId: row.sandbox_id,
  email: row.email,
  phone: row.phone,
  birthday: row.birthday,
  passwordHash: row.password_hash,
  walletId: row.wallet_id,
  totpSecret: row.totp_secret,
  totpEnabledAt: row.totp_enabled_at,
  totpLastStep: row.totp_last_step === null ? null : Number(row.totp_last_step),
  createdAt: row.created_at,
  passwordChangedAt: row.password_changed_at,
  passwordResetForcedAt: row.password_reset_forced_at,
  closedAt: row.closed_at,
});

/** A password set before the operator's forced reset no longer signs in. */
export function mustResetPassword(user: User): boolean {
  return user.passwordResetForcedAt !== null && user.passwordResetForcedAt >= user.passwordChangedAt;
}

const COLUMNS = `id, sandbox_id, email, phone, to_char(birthday, 'YYYY-MM-DD') AS birthday, password_hash, wallet_id, totp_secret, totp_enabled_at, totp_last_step, created_at,
  password_changed_at, password_reset_forced_at, closed_at`;

@Injectable()
export class UsersRepository {
  /** The sealed TOTP seeds, for a key rotation. */
  sealedTotpSeeds(q: Queryable): Omit<SealedColumn, 'purpose'> {
    return sealedColumn(q, 'identity_users', 'totp_secret');
  }

  /** Deletes the sandbox's users (sandbox reset). */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    await q.rows(`DELETE FROM identity_users WHERE sandbox_id = $1`, [sandboxId]);
  }

  /** False when the e-mail is already registered in the sandbox. */
  async insert(
    q: Queryable,
    user: Omit<User, 'totpSecret' | 'totpEnabledAt' | 'totpLastStep' | 'passwordChangedAt' | 'passwordResetForcedAt' | 'closedAt'>,
  ): Promise<boolean> {
    const rows = await q.rows(
      `INSERT INTO identity_users (sandbox_id, id, email, phone, birthday, password_hash, wallet_id, password_changed_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
       ON CONFLICT (sandbox_id, email) DO NOTHING RETURNING id`,
      [user.sandboxId, user.id, user.email, user.phone, user.birthday, user.passwordHash, user.walletId, user.createdAt],
    );
    return rows.length === 1;
  }

  async findByEmail(q: Queryable, sandboxId: string, email: string): Promise<User | null> {
    // A closed membership no longer answers to its e-mail address.
    const [row] = await q.rows<UserRow>(
      `SELECT ${COLUMNS} FROM identity_users WHERE sandbox_id = $1 AND email = $2 AND closed_at IS NULL`,
      [sandboxId, email],
    );
    return row ? toUser(row) : null;
  }

  /** Whether any account of the sandbox, closed ones included, has this e-mail address. */
  async emailTaken(q: Queryable, sandboxId: string, email: string): Promise<boolean> {
    const rows = await q.rows(`SELECT 1 FROM identity_users WHERE sandbox_id = $1 AND email = $2`, [sandboxId, email]);
    return rows.length > 0;
  }

  async findById(q: Queryable, sandboxId: string, userId: string, forUpdate = false): Promise<User | null> {
    const [row] = await q.rows<UserRow>(
      `SELECT ${COLUMNS} FROM identity_users WHERE sandbox_id = $1 AND id = $2 ${forUpdate ? 'FOR UPDATE' : ''}`,
      [sandboxId, userId],
    );
    return row ? toUser(row) : null;
  }

  async findByWallet(q: Queryable, sandboxId: string, walletId: string): Promise<User | null> {
    const [row] = await q.rows<UserRow>(`SELECT ${COLUMNS} FROM identity_users WHERE sandbox_id = $1 AND wallet_id = $2`, [
      sandboxId,
      walletId,
    ]);
    return row ? toUser(row) : null;
  }

  /** Open memberships after a user id, in id order: how notices and forced resets walk every customer. */
  async page(q: Queryable, sandboxId: string, after: string | null, limit: number): Promise<Member[]> {
    return q.rows<Member>(
      `SELECT id, email, phone, wallet_id AS "walletId" FROM identity_users
        WHERE sandbox_id = $1 AND closed_at IS NULL AND ($2::text IS NULL OR id > $2) ORDER BY id LIMIT $3`,
      [sandboxId, after, limit],
    );
  }

  /** Marks a page of open memberships as having to reset their password; those already marked for this reset are skipped. */
  async forceReset(
    q: Queryable,
    sandboxId: string,
    after: string | null,
    limit: number,
    forcedAt: Date,
  ): Promise<{ page: Member[]; marked: Member[] }> {
    const page = await this.page(q, sandboxId, after, limit);
    const marked = await q.rows<Member>(
      `UPDATE identity_users SET password_reset_forced_at = $3
        WHERE sandbox_id = $1 AND id = ANY ($2::text[]) AND password_reset_forced_at IS DISTINCT FROM $3
        RETURNING id, email, phone, wallet_id AS "walletId"`,
      [sandboxId, page.map((m) => m.id), forcedAt],
    );
    return { page, marked };
  }

  async close(q: Queryable, sandboxId: string, userId: string, at: Date): Promise<void> {
    await q.rows(`UPDATE identity_users SET closed_at = $3 WHERE sandbox_id = $1 AND id = $2 AND closed_at IS NULL`, [
      sandboxId,
      userId,
      at,
    ]);
  }

  async setPassword(q: Queryable, sandboxId: string, userId: string, passwordHash: string, at: Date): Promise<void> {
    await q.rows(`UPDATE identity_users SET password_hash = $3, password_changed_at = $4 WHERE sandbox_id = $1 AND id = $2`, [
      sandboxId,
      userId,
      passwordHash,
      at,
    ]);
  }

  async setTotp(q: Queryable, sandboxId: string, userId: string, sealedSecret: string | null, enabledAt: Date | null): Promise<void> {
    await q.rows(
      `UPDATE identity_users SET totp_secret = $3, totp_enabled_at = $4, totp_last_step = NULL WHERE sandbox_id = $1 AND id = $2`,
      [sandboxId, userId, sealedSecret, enabledAt],
    );
  }

  /**
   * Uses up a TOTP time step: false when that step or a later one was already
   * used. The row lock makes two answers with one code race to a single winner.
   */
  async useTotpStep(q: Queryable, sandboxId: string, userId: string, step: number): Promise<boolean> {
    const rows = await q.rows(
      `UPDATE identity_users SET totp_last_step = $3
        WHERE sandbox_id = $1 AND id = $2 AND (totp_last_step IS NULL OR totp_last_step < $3) RETURNING id`,
      [sandboxId, userId, step],
    );
    return rows.length === 1;
  }

  /** False when another user of the sandbox already has that e-mail. */
  /** False when another account has the address, also when it took it while this statement ran (the unique index answers). */
  async setEmail(q: Queryable, sandboxId: string, userId: string, email: string): Promise<boolean> {
    try {
      const rows = await q.rows(
        `UPDATE identity_users SET email = $3 WHERE sandbox_id = $1 AND id = $2
           AND NOT EXISTS (SELECT 1 FROM identity_users WHERE sandbox_id = $1 AND email = $3) RETURNING id`,
        [sandboxId, userId, email],
      );
      return rows.length === 1;
    } catch (error) {
      if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) return false;
      throw error;
    }
  }

  async setPhone(q: Queryable, sandboxId: string, userId: string, phone: string): Promise<void> {
    await q.rows(`UPDATE identity_users SET phone = $3 WHERE sandbox_id = $1 AND id = $2`, [sandboxId, userId, phone]);
  }
}
