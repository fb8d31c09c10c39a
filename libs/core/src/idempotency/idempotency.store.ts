import { Injectable, Logger } from '@nestjs/common';
import { Database } from '../database/database.js';
import { randomSecret } from '../ids/ids.js';
import type { SealedValue } from '../secrets/sealed-data.js';
import { type SealedRow, Secrets } from '../secrets/secrets.js';

export interface IdempotencyScope {
  sandboxId: string;
  principal: string;
}

export type Claim =
  | { kind: 'claimed'; scope: IdempotencyScope; key: string; token: string; generation: string }
  | { kind: 'replay'; status: number; body: string }
  | { kind: 'conflict' }
  | { kind: 'in_progress' };

/** How long a running request holds its key before a retry may take it over (the first one died). */
const LOCK_SECONDS = 60;

interface ExistingRow {
  request_hash: string;
  state: 'running' | 'done';
  response_status: number | null;
  response_body: string | null;
}

/** Stored responses carry tokens, keys and secrets: sealed, bound to their record. */
export const RESPONSE_PURPOSE = 'idempotency-response';

/** The record a stored response is bound to (the principal never holds a line break; a key cannot). */
function recordOf(sandboxId: string, principal: string, key: string): SealedRow {
  return { sandboxId, id: `${principal}\n${key}` };
}

/**
 * Idempotency records: one per (sandbox, credential, key), kept 24 hours of
 * sandbox time. The response is stored sealed; a response stored in plain
 * text by an earlier version is replayed as it stands until it expires.
 */
@Injectable()
export class IdempotencyStore {
  private readonly logger = new Logger(IdempotencyStore.name);

  constructor(
    private readonly db: Database,
    private readonly secrets: Secrets,
  ) {}

  /** `requestHashes`: the request's fingerprint under the current key, then under earlier keys (a record made before a rotation). */
  async claim(scope: IdempotencyScope, key: string, requestHashes: string[], now: Date): Promise<Claim> {
    const [requestHash] = requestHashes;
    for (let attempt = 0; attempt < 3; attempt++) {
      const token = randomSecret(16);
      const [claimed] = await this.db.rows<{ created_at: Date }>(
        `INSERT INTO idempotency_keys AS k
                (sandbox_id, principal, key, request_hash, state, claim_token, created_at, expires_at, locked_until)
         VALUES ($1, $2, $3, $4, 'running', $5, $6, $6::timestamptz + interval '24 hours', $9::timestamptz + make_interval(secs => $7))
         ON CONFLICT (sandbox_id, principal, key) DO UPDATE
            SET request_hash = EXCLUDED.request_hash, state = 'running', claim_token = EXCLUDED.claim_token,
                response_status = NULL, response_body = NULL, locked_until = EXCLUDED.locked_until,
                -- A takeover keeps the generation, so the retry repeats the same effects.
                created_at = CASE WHEN k.expires_at <= $6 THEN EXCLUDED.created_at ELSE k.created_at END,
                expires_at = CASE WHEN k.expires_at <= $6 THEN EXCLUDED.expires_at ELSE k.expires_at END
          WHERE k.expires_at <= $6
             OR (k.state = 'running' AND k.locked_until < $9 AND k.request_hash = ANY($8::text[]))
         RETURNING k.created_at`,
        // The lock runs on real time, the process's: a distributed table (Citus) takes no now() in an upsert's condition.
        [scope.sandboxId, scope.principal, key, requestHash, token, now, LOCK_SECONDS, requestHashes, new Date()],
      );
      if (claimed) return { kind: 'claimed', scope, key, token, generation: String(claimed.created_at.getTime()) };

      const [existing] = await this.db.rows<ExistingRow>(
        `SELECT request_hash, state, response_status, response_body FROM idempotency_keys
          WHERE sandbox_id = $1 AND principal = $2 AND key = $3`,
        [scope.sandboxId, scope.principal, key],
      );
      if (!existing) continue; // released between the two statements: claim again
      if (!requestHashes.includes(existing.request_hash)) return { kind: 'conflict' };
      if (existing.state === 'running') return { kind: 'in_progress' };
      const body = this.opened(scope, key, existing.response_body);
      // A stored answer no configured key opens (moved from another record, or its key retired) is never
      // replayed, and the request does not run again: the key is spent, as one used for another request.
      if (body === undefined) return { kind: 'conflict' };
      return { kind: 'replay', status: existing.response_status ?? 200, body };
    }
    return { kind: 'in_progress' };
  }

  /** Stores the response as the exact JSON text sent, sealed, so a replay is byte for byte the same. */
  async complete(claim: Extract<Claim, { kind: 'claimed' }>, status: number, body: unknown): Promise<void> {
    const { scope, key } = claim;
    const sealed = this.secrets.seal(RESPONSE_PURPOSE, recordOf(scope.sandboxId, scope.principal, key), JSON.stringify(body ?? null));
    await this.db.rows(
      `UPDATE idempotency_keys SET state = 'done', response_status = $5, response_body = $6, locked_until = NULL
        WHERE sandbox_id = $1 AND principal = $2 AND key = $3 AND claim_token = $4`,
      [scope.sandboxId, scope.principal, key, claim.token, status, sealed],
    );
  }

  private opened(scope: IdempotencyScope, key: string, body: string | null): string | undefined {
    if (body === null) return 'null';
    // JSON text never starts with a letter v: this one was stored before responses were sealed.
    if (!body.startsWith('v')) return body;
    try {
      return this.secrets.open(RESPONSE_PURPOSE, recordOf(scope.sandboxId, scope.principal, key), body);
    } catch (error) {
      this.logger.error(`the stored answer of an Idempotency-Key in sandbox ${scope.sandboxId} does not open: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** Stored responses in (sandbox, record) order, for a key rotation (SealedData). */
  async sealedPage(after: SealedValue | null, limit: number): Promise<SealedValue[]> {
    return this.db.rows<SealedValue>(
      `SELECT sandbox_id AS "sandboxId", principal || E'\\n' || key AS id, response_body AS sealed FROM idempotency_keys
        WHERE state = 'done' AND response_body LIKE 'v%' AND (sandbox_id, principal || E'\\n' || key) > ($1, $2)
        ORDER BY sandbox_id, principal || E'\\n' || key LIMIT $3`,
      [after?.sandboxId ?? '', after?.id ?? '', limit],
    );
  }

  async replaceSealed(value: SealedValue, sealed: string): Promise<boolean> {
    const [principal, key] = value.id.split('\n');
    const rows = await this.db.rows(
      `UPDATE idempotency_keys SET response_body = $5 WHERE sandbox_id = $1 AND principal = $2 AND key = $3 AND response_body = $4
       RETURNING 1`,
      [value.sandboxId, principal, key, value.sealed, sealed],
    );
    return rows.length > 0;
  }

  /** Forgets a claim whose request did not run to an answer worth replaying; the client may retry. */
  async release(claim: Extract<Claim, { kind: 'claimed' }>): Promise<void> {
    await this.db.rows(`DELETE FROM idempotency_keys WHERE sandbox_id = $1 AND principal = $2 AND key = $3 AND claim_token = $4`, [
      claim.scope.sandboxId,
      claim.scope.principal,
      claim.key,
      claim.token,
    ]);
  }

  /**
   * Forgets records past their 24 hours on their own sandbox's clock, which
   * may run years behind real time (a replay of 2019) or ahead of it. The
   * admin's records, outside any sandbox, keep real time.
   */
  async purgeExpired(batch = 10_000): Promise<number> {
    const rows = await this.db.rows(
      `DELETE FROM idempotency_keys WHERE (sandbox_id, principal, key) IN (
         SELECT k.sandbox_id, k.principal, k.key FROM idempotency_keys k LEFT JOIN sandbox_clocks c ON c.sandbox_id = k.sandbox_id
          WHERE k.expires_at < COALESCE(c.now, now()) LIMIT $1) RETURNING 1`,
      [batch],
    );
    return rows.length;
  }
}
