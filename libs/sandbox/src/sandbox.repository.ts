import { Injectable } from '@nestjs/common';
import { Database, LIVE_KEY, type Page, type Queryable, type SandboxContext, type SecurityProfile, SandboxTime } from '#core';

export interface SandboxRecord {
  id: string;
  name: string;
  securityProfile: SecurityProfile;
  clockOffsetMs: number;
  simulatedClientIps: boolean;
  stepUpAllowance: number | null;
  createdAt: Date;
}

export interface KeyRecord {
  keyId: string;
  kind: 'secret' | 'publishable';
  sandbox: SandboxRecord;
}

/** A key as its owner sees it: never the key itself, which is shown once. */
export interface SandboxKey {
  id: string;
  kind: 'secret' | 'publishable';
  keyHint: string;
  createdAt: string;
  /** When the key stops (or stopped) working: set by a revoke, or by a roll with its grace period. */
  revokedAt: string | null;
}

interface KeyRow {
  id: string;
  kind: 'secret' | 'publishable';
  key_hint: string;
  created_at: Date;
  revoked_at: Date | null;
}

const toKey = (row: KeyRow): SandboxKey => ({
  id: row.id,
  kind: row.kind,
  keyHint: row.key_hint,
  createdAt: row.created_at.toISOString(),
  revokedAt: row.revoked_at?.toISOString() ?? null,
});

interface SandboxRow {
  id: string;
  name: string;
  security_profile: SecurityProfile;
  clock_offset_ms: string;
  simulated_client_ips: boolean;
  step_up_allowance: string | null;
  created_at: Date;
}

const toSandbox = (row: SandboxRow): SandboxRecord => ({
  id: row.id,
  name: row.name,
  securityProfile: row.security_profile,
  clockOffsetMs: Number(row.clock_offset_ms),
  simulatedClientIps: row.simulated_client_ips,
  stepUpAllowance: row.step_up_allowance === null ? null : Number(row.step_up_allowance),
  createdAt: row.created_at,
});

/** What a request's principal carries of its sandbox. */
export const sandboxContext = (sandbox: SandboxRecord): SandboxContext => ({
  id: sandbox.id,
  securityProfile: sandbox.securityProfile,
  time: new SandboxTime(sandbox.clockOffsetMs),
  simulatedClientIps: sandbox.simulatedClientIps,
  stepUpAllowance: sandbox.stepUpAllowance,
});

@Injectable()
export class SandboxRepository {
  constructor(private readonly db: Database) {}

  async insert(q: Queryable, sandbox: Omit<SandboxRecord, 'createdAt'>): Promise<SandboxRecord> {
    const [row] = await q.rows<SandboxRow>(
      `INSERT INTO sandboxes (id, name, security_profile, clock_offset_ms, simulated_client_ips, step_up_allowance)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [sandbox.id, sandbox.name, sandbox.securityProfile, sandbox.clockOffsetMs, sandbox.simulatedClientIps, sandbox.stepUpAllowance],
    );
    return toSandbox(row);
  }

  async insertKey(
    q: Queryable,
    key: { id: string; sandboxId: string; kind: 'secret' | 'publishable'; hash: string; hint: string },
  ): Promise<Date> {
    const [row] = await q.rows<{ created_at: Date }>(
      `INSERT INTO sandbox_api_keys (id, sandbox_id, kind, key_hash, key_hint) VALUES ($1, $2, $3, $4, $5) RETURNING created_at`,
      [key.id, key.sandboxId, key.kind, key.hash, key.hint],
    );
    return row.created_at;
  }

  /** One indexed lookup per request: the key's hash to its sandbox, clock included. */
  async findByKeyHash(hash: string): Promise<KeyRecord | null> {
    const [row] = await this.db.rows<SandboxRow & { key_id: string; kind: 'secret' | 'publishable' }>(
      `SELECT k.id AS key_id, k.kind, s.* FROM sandbox_api_keys k JOIN sandboxes s ON s.id = k.sandbox_id
        WHERE k.key_hash = $1 AND (k.revoked_at IS NULL OR k.revoked_at > now())`,
      [hash],
    );
    return row ? { keyId: row.key_id, kind: row.kind, sandbox: toSandbox(row) } : null;
  }

  /** The sandbox's keys that still work, newest first. */
  async listKeys(q: Queryable, sandboxId: string, query: { limit: number; startingAfter?: string }): Promise<Page<SandboxKey>> {
    const rows = await q.rows<KeyRow>(
      `SELECT * FROM sandbox_api_keys WHERE sandbox_id = $1 AND ${LIVE_KEY} AND ($2::text IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
      [sandboxId, query.startingAfter ?? null, query.limit + 1],
    );
    return { data: rows.slice(0, query.limit).map(toKey), has_more: rows.length > query.limit };
  }

  /** Whether the sandbox has the key, and when it stops working. */
  async findKeyState(
    q: Queryable,
    sandboxId: string,
    keyId: string,
  ): Promise<{ kind: 'secret' | 'publishable'; revokedAt: Date | null; live: boolean } | null> {
    const [row] = await q.rows<{ kind: 'secret' | 'publishable'; revoked_at: Date | null; live: boolean }>(
      `SELECT kind, revoked_at, ${LIVE_KEY} AS live FROM sandbox_api_keys WHERE sandbox_id = $1 AND id = $2`,
      [sandboxId, keyId],
    );
    return row ? { kind: row.kind, revokedAt: row.revoked_at, live: row.live } : null;
  }

  /** Sets a key that has not been rolled to stop working in `seconds` (0: now); null when there is no such key. */
  async expireUnrolledKey(q: Queryable, sandboxId: string, keyId: string, seconds: number): Promise<SandboxKey | null> {
    const [row] = await q.rows<KeyRow>(
      `UPDATE sandbox_api_keys SET revoked_at = now() + make_interval(secs => $3)
        WHERE sandbox_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING *`,
      [sandboxId, keyId, seconds],
    );
    return row ? toKey(row) : null;
  }

  /** Stops a working key now (a rolled key's grace period ends early); null when there is no such key. */
  async revokeKey(q: Queryable, sandboxId: string, keyId: string): Promise<SandboxKey | null> {
    const [row] = await q.rows<KeyRow>(
      `UPDATE sandbox_api_keys SET revoked_at = now() WHERE sandbox_id = $1 AND id = $2 AND ${LIVE_KEY} RETURNING *`,
      [sandboxId, keyId],
    );
    return row ? toKey(row) : null;
  }

  /** The secret keys of the sandbox that are not set to stop, but `exceptKeyId`. */
  async countLastingSecretKeys(q: Queryable, sandboxId: string, exceptKeyId: string): Promise<number> {
    const [row] = await q.rows<{ n: number }>(
      `SELECT count(*)::int AS n FROM sandbox_api_keys WHERE sandbox_id = $1 AND kind = 'secret' AND revoked_at IS NULL AND id <> $2`,
      [sandboxId, exceptKeyId],
    );
    return row.n;
  }

  async find(q: Queryable, sandboxId: string): Promise<SandboxRecord | null> {
    const [row] = await q.rows<SandboxRow>(`SELECT * FROM sandboxes WHERE id = $1`, [sandboxId]);
    return row ? toSandbox(row) : null;
  }

  /** Locks the sandbox row: clock moves and resets of one sandbox run one at a time. */
  async lock(q: Queryable, sandboxId: string): Promise<SandboxRecord> {
    const [row] = await q.rows<SandboxRow>(`SELECT * FROM sandboxes WHERE id = $1 FOR UPDATE`, [sandboxId]);
    return toSandbox(row);
  }

  async advanceClock(q: Queryable, sandboxId: string, ms: number): Promise<SandboxTime> {
    const [row] = await q.rows<{ clock_offset_ms: string }>(
      `UPDATE sandboxes SET clock_offset_ms = clock_offset_ms + $2 WHERE id = $1 RETURNING clock_offset_ms`,
      [sandboxId, ms],
    );
    return new SandboxTime(Number(row.clock_offset_ms));
  }
}
