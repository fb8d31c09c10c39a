import { Injectable } from '@nestjs/common';
import type { Queryable } from '#core';

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
  createdAt: Date;
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
  created_at: Date;
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
  createdAt: row.created_at,
});

const COLUMNS = `id, sandbox_id, email, phone, to_char(birthday, 'YYYY-MM-DD') AS birthday, password_hash, wallet_id, totp_secret, totp_enabled_at, created_at`;

@Injectable()
export class UsersRepository {
  /** False when the e-mail is already registered in the sandbox. */
  async insert(q: Queryable, user: Omit<User, 'totpSecret' | 'totpEnabledAt'>): Promise<boolean> {
    const rows = await q.rows(
      `INSERT INTO identity_users (sandbox_id, id, email, phone, birthday, password_hash, wallet_id, password_changed_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
       ON CONFLICT (sandbox_id, email) DO NOTHING RETURNING id`,
      [user.sandboxId, user.id, user.email, user.phone, user.birthday, user.passwordHash, user.walletId, user.createdAt],
    );
    return rows.length === 1;
  }

  async findByEmail(q: Queryable, sandboxId: string, email: string): Promise<User | null> {
    const [row] = await q.rows<UserRow>(`SELECT ${COLUMNS} FROM identity_users WHERE sandbox_id = $1 AND email = $2`, [sandboxId, email]);
    return row ? toUser(row) : null;
  }

  async findById(q: Queryable, sandboxId: string, userId: string, forUpdate = false): Promise<User | null> {
    const [row] = await q.rows<UserRow>(
      `SELECT ${COLUMNS} FROM identity_users WHERE sandbox_id = $1 AND id = $2 ${forUpdate ? 'FOR UPDATE' : ''}`,
      [sandboxId, userId],
    );
    return row ? toUser(row) : null;
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
    await q.rows(`UPDATE identity_users SET totp_secret = $3, totp_enabled_at = $4 WHERE sandbox_id = $1 AND id = $2`, [
      sandboxId,
      userId,
      sealedSecret,
      enabledAt,
    ]);
  }

  /** False when another user of the sandbox already has that e-mail. */
  async setEmail(q: Queryable, sandboxId: string, userId: string, email: string): Promise<boolean> {
    const rows = await q.rows(
      `UPDATE identity_users SET email = $3 WHERE sandbox_id = $1 AND id = $2
         AND NOT EXISTS (SELECT 1 FROM identity_users WHERE sandbox_id = $1 AND email = $3) RETURNING id`,
      [sandboxId, userId, email],
    );
    return rows.length === 1;
  }

  async setPhone(q: Queryable, sandboxId: string, userId: string, phone: string): Promise<void> {
    await q.rows(`UPDATE identity_users SET phone = $3 WHERE sandbox_id = $1 AND id = $2`, [sandboxId, userId, phone]);
  }
}
