import { Injectable } from '@nestjs/common';
import { Database, type Queryable, type SandboxContext, type SecurityProfile, SandboxTime } from '#core';

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
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
      [hash],
    );
    return row ? { keyId: row.key_id, kind: row.kind, sandbox: toSandbox(row) } : null;
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
