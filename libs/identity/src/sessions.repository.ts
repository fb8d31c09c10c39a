import { Injectable } from '@nestjs/common';
import { type Queryable, newId } from '#core';
import type { SessionEndReason } from './identity.events.js';

export interface Device {
  id: string;
  trusted: boolean;
  userAgent: string | null;
  lastSeenAt: Date;
  createdAt: Date;
}

export interface Session {
  id: string;
  userId: string;
  deviceId: string;
  ip: string | null;
  userAgent: string | null;
  steppedUpUntil: Date | null;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

interface SessionRow {
  id: string;
  user_id: string;
  device_id: string;
  ip: string | null;
  user_agent: string | null;
  stepped_up_until: Date | null;
  created_at: Date;
  last_used_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
}

const toSession = (row: SessionRow): Session => ({
  id: row.id,
  userId: row.user_id,
  deviceId: row.device_id,
  ip: row.ip,
  userAgent: row.user_agent,
  steppedUpUntil: row.stepped_up_until,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
});

/** Which of a customer's sessions end: one, all but one, those of one device; all when empty. */
export interface SessionScope {
  only?: string;
  except?: string;
  deviceId?: string;
}

/** Devices, sessions and their rotating refresh tokens. */
@Injectable()
export class SessionsRepository {
  /** Deletes the sandbox's devices, sessions and refresh tokens (sandbox reset). */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    for (const table of ['identity_devices', 'identity_sessions', 'identity_refresh_tokens'])
      await q.rows(`DELETE FROM ${table} WHERE sandbox_id = $1`, [sandboxId]);
  }

  /** The device as the user's sign-ins know it; `resetAt`: when a password reset was last completed on it. */
  async findDevice(
    q: Queryable,
    sandboxId: string,
    userId: string,
    deviceHash: string,
  ): Promise<{ id: string; trusted: boolean; resetAt: Date | null } | null> {
    const [row] = await q.rows<{ id: string; trusted_at: Date | null; reset_at: Date | null }>(
      `SELECT id, trusted_at, reset_at FROM identity_devices WHERE sandbox_id = $1 AND user_id = $2 AND device_hash = $3`,
      [sandboxId, userId, deviceHash],
    );
    return row ? { id: row.id, trusted: row.trusted_at !== null, resetAt: row.reset_at } : null;
  }

  /** Records that a password reset was completed on this device (it stays untrusted: the second factor is still to come). */
  async markReset(q: Queryable, sandboxId: string, userId: string, deviceHash: string, userAgent: string | null, at: Date): Promise<void> {
    await q.rows(
      `INSERT INTO identity_devices (sandbox_id, id, user_id, device_hash, user_agent, reset_at, last_seen_at, created_at)
       VALUES ($1, $4, $2, $3, $5, $6, $6, $6)
       ON CONFLICT (sandbox_id, user_id, device_hash)
         DO UPDATE SET reset_at = EXCLUDED.reset_at, last_seen_at = EXCLUDED.last_seen_at,
                       user_agent = COALESCE(EXCLUDED.user_agent, identity_devices.user_agent)`,
      [sandboxId, userId, deviceHash, newId('dev'), userAgent, at],
    );
  }

  /** Records a device signing in and trusts it; tells whether it was already trusted. */
  async trustDevice(
    q: Queryable,
    sandboxId: string,
    userId: string,
    deviceHash: string,
    userAgent: string | null,
    at: Date,
  ): Promise<{ id: string; wasTrusted: boolean }> {
    // Read first, then upsert: a distributed table (Citus) takes no subquery in an INSERT.
    const [previous] = await q.rows<{ trusted_at: Date | null }>(
      `SELECT trusted_at FROM identity_devices WHERE sandbox_id = $1 AND user_id = $2 AND device_hash = $3 FOR UPDATE`,
      [sandboxId, userId, deviceHash],
    );
    const [row] = await q.rows<{ id: string }>(
      `INSERT INTO identity_devices (sandbox_id, id, user_id, device_hash, user_agent, trusted_at, last_seen_at, created_at)
       VALUES ($1, $4, $2, $3, $5, $6, $6, $6)
       ON CONFLICT (sandbox_id, user_id, device_hash)
         DO UPDATE SET trusted_at = COALESCE(identity_devices.trusted_at, EXCLUDED.trusted_at), last_seen_at = EXCLUDED.last_seen_at,
                       user_agent = COALESCE(EXCLUDED.user_agent, identity_devices.user_agent)
       RETURNING id`,
      [sandboxId, userId, deviceHash, newId('dev'), userAgent, at],
    );
    return { id: row.id, wasTrusted: Boolean(previous?.trusted_at) };
  }

  async listDevices(q: Queryable, sandboxId: string, userId: string): Promise<Device[]> {
    const rows = await q.rows<{ id: string; trusted_at: Date | null; user_agent: string | null; last_seen_at: Date; created_at: Date }>(
      `SELECT id, trusted_at, user_agent, last_seen_at, created_at FROM identity_devices WHERE sandbox_id = $1 AND user_id = $2 ORDER BY last_seen_at DESC`,
      [sandboxId, userId],
    );
    return rows.map((r) => ({
      id: r.id,
      trusted: r.trusted_at !== null,
      userAgent: r.user_agent,
      lastSeenAt: r.last_seen_at,
      createdAt: r.created_at,
    }));
  }

  /** Untrusts every trusted device of a customer but one; returns how many. */
  async untrustOthers(q: Queryable, sandboxId: string, userId: string, keepDeviceId: string): Promise<number> {
    const rows = await q.rows(
      `UPDATE identity_devices SET trusted_at = NULL
       WHERE sandbox_id = $1 AND user_id = $2 AND id <> $3 AND trusted_at IS NOT NULL RETURNING id`,
      [sandboxId, userId, keepDeviceId],
    );
    return rows.length;
  }

  /** Untrusts one device (or all when deviceId is null); returns how many. */
  async forgetDevices(q: Queryable, sandboxId: string, userId: string, deviceId: string | null): Promise<number> {
    const rows = await q.rows(
      `UPDATE identity_devices SET trusted_at = NULL WHERE sandbox_id = $1 AND user_id = $2 AND ($3::text IS NULL OR id = $3) RETURNING id`,
      [sandboxId, userId, deviceId],
    );
    return rows.length;
  }

  async createSession(
    q: Queryable,
    session: {
      sandboxId: string;
      userId: string;
      deviceId: string;
      ip: string;
      userAgent: string | null;
      steppedUpUntil: Date | null;
      at: Date;
      expiresAt: Date;
    },
  ): Promise<string> {
    const id = newId('ses');
    await q.rows(
      `INSERT INTO identity_sessions (sandbox_id, id, user_id, device_id, ip, user_agent, stepped_up_until, created_at, last_used_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9)`,
      [
        session.sandboxId,
        id,
        session.userId,
        session.deviceId,
        session.ip,
        session.userAgent,
        session.steppedUpUntil,
        session.at,
        session.expiresAt,
      ],
    );
    return id;
  }

  async findSession(q: Queryable, sandboxId: string, sessionId: string): Promise<Session | null> {
    const [row] = await q.rows<SessionRow>(`SELECT * FROM identity_sessions WHERE sandbox_id = $1 AND id = $2`, [sandboxId, sessionId]);
    return row ? toSession(row) : null;
  }

  async listActiveSessions(q: Queryable, sandboxId: string, userId: string, now: Date): Promise<Session[]> {
    const rows = await q.rows<SessionRow>(
      `SELECT * FROM identity_sessions WHERE sandbox_id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > $3 ORDER BY id DESC`,
      [sandboxId, userId, now],
    );
    return rows.map(toSession);
  }

  /** Ends every session of many customers at once (a forced reset walks every customer); returns whose sessions ended. */
  async revokeMany(q: Queryable, sandboxId: string, userIds: string[], reason: SessionEndReason, at: Date): Promise<string[]> {
    const rows = await q.rows<{ user_id: string }>(
      `UPDATE identity_sessions SET revoked_at = $4, revoked_reason = $3 WHERE sandbox_id = $1 AND user_id = ANY ($2::text[]) AND revoked_at IS NULL
       RETURNING user_id`,
      [sandboxId, userIds, reason, at],
    );
    return [...new Set(rows.map((row) => row.user_id))];
  }

  /** Revokes the user's sessions: all, all but one, one, or those of one device. Returns the device of each session it ended. */
  async revoke(
    q: Queryable,
    sandboxId: string,
    userId: string,
    reason: SessionEndReason,
    at: Date,
    scope: SessionScope = {},
  ): Promise<string[]> {
    const rows = await q.rows<{ device_id: string }>(
      `UPDATE identity_sessions SET revoked_at = $4, revoked_reason = $3
        WHERE sandbox_id = $1 AND user_id = $2 AND revoked_at IS NULL
          AND ($5::text IS NULL OR id = $5) AND ($6::text IS NULL OR id <> $6) AND ($7::text IS NULL OR device_id = $7)
        RETURNING device_id`,
      [sandboxId, userId, reason, at, scope.only ?? null, scope.except ?? null, scope.deviceId ?? null],
    );
    return rows.map((row) => row.device_id);
  }

  /** No open session of the customer counts as stepped up any more. */
  async endStepUps(q: Queryable, sandboxId: string, userId: string): Promise<void> {
    await q.rows(`UPDATE identity_sessions SET stepped_up_until = NULL WHERE sandbox_id = $1 AND user_id = $2 AND revoked_at IS NULL`, [
      sandboxId,
      userId,
    ]);
  }

  async stepUp(q: Queryable, sandboxId: string, sessionId: string, until: Date): Promise<void> {
    await q.rows(`UPDATE identity_sessions SET stepped_up_until = $3 WHERE sandbox_id = $1 AND id = $2`, [sandboxId, sessionId, until]);
  }

  async touch(q: Queryable, sandboxId: string, sessionId: string, at: Date): Promise<void> {
    await q.rows(`UPDATE identity_sessions SET last_used_at = $3 WHERE sandbox_id = $1 AND id = $2`, [sandboxId, sessionId, at]);
  }

  async insertRefreshToken(
    q: Queryable,
    token: { hash: string; sandboxId: string; sessionId: string; at: Date; expiresAt: Date },
  ): Promise<void> {
    await q.rows(
      `INSERT INTO identity_refresh_tokens (token_hash, sandbox_id, session_id, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
      [token.hash, token.sandboxId, token.sessionId, token.at, token.expiresAt],
    );
  }

  /** Locks a refresh token for rotation: concurrent uses of one token queue here. */
  async lockRefreshToken(
    q: Queryable,
    sandboxId: string,
    hash: string,
  ): Promise<{ sandboxId: string; sessionId: string; rotatedAt: Date | null; expiresAt: Date } | null> {
    const [row] = await q.rows<{ sandbox_id: string; session_id: string; rotated_at: Date | null; expires_at: Date }>(
      `SELECT sandbox_id, session_id, rotated_at, expires_at FROM identity_refresh_tokens WHERE sandbox_id = $1 AND token_hash = $2 FOR UPDATE`,
      [sandboxId, hash],
    );
    return row ? { sandboxId: row.sandbox_id, sessionId: row.session_id, rotatedAt: row.rotated_at, expiresAt: row.expires_at } : null;
  }

  async markRotated(q: Queryable, sandboxId: string, hash: string, at: Date): Promise<void> {
    await q.rows(`UPDATE identity_refresh_tokens SET rotated_at = $3 WHERE sandbox_id = $1 AND token_hash = $2`, [sandboxId, hash, at]);
  }
}
