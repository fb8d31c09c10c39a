import { Injectable } from '@nestjs/common';
import type { Queryable } from '#core';
import type { HoldStatus } from './holds.js';

/** A hold's own row, without its audit trail, hits and top-ups. */
export interface HoldRecord {
  id: string;
  walletId: string;
  userId: string | null;
  status: HoldStatus;
  reason: string;
  score: number;
  rules: string[];
  /** The event the rules scored (the hold's own id for one an operator placed). */
  triggerEventId: string;
  windowStart: Date;
  createdAt: Date;
  expiresAt: Date;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  resolutionReason: string | null;
}

interface HoldRow {
  id: string;
  wallet_id: string;
  user_id: string | null;
  status: HoldStatus;
  reason: string;
  score: number;
  rules: string[];
  window_start: Date;
  created_at: Date;
  expires_at: Date;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolution_reason: string | null;
  trigger_event_id: string;
}

const toHold = (row: HoldRow): HoldRecord => ({
  id: row.id,
  walletId: row.wallet_id,
  userId: row.user_id,
  status: row.status,
  reason: row.reason,
  score: row.score,
  rules: row.rules,
  triggerEventId: row.trigger_event_id,
  windowStart: row.window_start,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  resolvedAt: row.resolved_at,
  resolvedBy: row.resolved_by,
  resolutionReason: row.resolution_reason,
});

export interface AuditEntry {
  at: Date;
  actor: string;
  action: string;
  note: string | null;
}

/** Holds on wallets, the top-ups each keeps, and their audit trail. */
@Injectable()
export class HoldsRepository {
  /**
   * Inserts the wallet's open hold; null when the wallet has one already (a
   * unique index keeps one open hold per wallet, so of two placed at the
   * same moment one inserts).
   */
  async insertOpen(
    q: Queryable,
    hold: Omit<HoldRecord, 'status' | 'resolvedAt' | 'resolvedBy' | 'resolutionReason'> & { sandboxId: string },
  ): Promise<string | null> {
    const [inserted] = await q.rows<{ id: string }>(
      `INSERT INTO fraud_holds (sandbox_id, id, wallet_id, user_id, status, reason, score, rules, trigger_event_id, window_start, created_at, expires_at)
       VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (sandbox_id, wallet_id) WHERE status = 'open' DO NOTHING RETURNING id`,
      [
        hold.sandboxId,
        hold.id,
        hold.walletId,
        hold.userId,
        hold.reason,
        hold.score,
        JSON.stringify(hold.rules),
        hold.triggerEventId,
        hold.windowStart,
        hold.createdAt,
        hold.expiresAt,
      ],
    );
    return inserted?.id ?? null;
  }

  /** The wallet's open hold, or null; `lock` waits for the transaction that placed it and locks it until commit. */
  async findOpenOfWallet(q: Queryable, sandboxId: string, walletId: string, lock = false): Promise<string | null> {
    const [row] = await q.rows<{ id: string }>(
      `SELECT id FROM fraud_holds WHERE sandbox_id = $1 AND wallet_id = $2 AND status = 'open' ${lock ? 'FOR UPDATE' : ''}`,
      [sandboxId, walletId],
    );
    return row?.id ?? null;
  }

  /** The hold, or null; `lock` takes its row lock. */
  async find(q: Queryable, sandboxId: string, holdId: string, lock = false): Promise<HoldRecord | null> {
    const [row] = await q.rows<HoldRow>(`SELECT * FROM fraud_holds WHERE sandbox_id = $1 AND id = $2 ${lock ? 'FOR UPDATE' : ''}`, [
      sandboxId,
      holdId,
    ]);
    return row ? toHold(row) : null;
  }

  /** Newest first, after `startingAfter`. */
  async list(
    q: Queryable,
    sandboxId: string,
    query: { status?: HoldStatus; limit: number; startingAfter?: string },
  ): Promise<HoldRecord[]> {
    const rows = await q.rows<HoldRow>(
      `SELECT * FROM fraud_holds WHERE sandbox_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR id < $3) ORDER BY id DESC LIMIT $4`,
      [sandboxId, query.status ?? null, query.startingAfter ?? null, query.limit],
    );
    return rows.map(toHold);
  }

  /** Open holds of the sandbox whose review time ran out by `now`. */
  async dueIds(q: Queryable, sandboxId: string, now: Date, limit: number): Promise<string[]> {
    const due = await q.rows<{ id: string }>(
      `SELECT id FROM fraud_holds WHERE sandbox_id = $1 AND status = 'open' AND expires_at <= $2 LIMIT $3`,
      [sandboxId, now, limit],
    );
    return due.map((row) => row.id);
  }

  /** Sandboxes with an open hold due by their own clock (published by the sandbox module), for the periodic sweep. */
  async sandboxesWithDue(q: Queryable): Promise<string[]> {
    const due = await q.rows<{ sandbox_id: string }>(
      `SELECT DISTINCT h.sandbox_id FROM fraud_holds h JOIN sandbox_clocks c ON c.sandbox_id = h.sandbox_id WHERE h.status = 'open' AND h.expires_at <= c.now`,
    );
    return due.map((row) => row.sandbox_id);
  }

  /** Ends the hold's review, with its line in the audit trail. */
  async resolve(
    q: Queryable,
    sandboxId: string,
    holdId: string,
    resolution: { status: HoldStatus; at: Date; actor: string; reason: string },
  ): Promise<void> {
    await q.rows(
      `UPDATE fraud_holds SET status = $3, resolved_at = $4, resolved_by = $5, resolution_reason = $6 WHERE sandbox_id = $1 AND id = $2`,
      [sandboxId, holdId, resolution.status, resolution.at, resolution.actor, resolution.reason],
    );
    await this.audit(q, sandboxId, holdId, {
      at: resolution.at,
      actor: resolution.actor,
      action: resolution.status,
      note: resolution.reason,
    });
  }

  async audit(q: Queryable, sandboxId: string, holdId: string, entry: AuditEntry): Promise<void> {
    await q.rows(`INSERT INTO fraud_hold_audit (sandbox_id, hold_id, at, actor, action, note) VALUES ($1, $2, $3, $4, $5, $6)`, [
      sandboxId,
      holdId,
      entry.at,
      entry.actor,
      entry.action,
      entry.note,
    ]);
  }

  async auditOf(q: Queryable, sandboxId: string, holdId: string): Promise<AuditEntry[]> {
    return q.rows<AuditEntry>(`SELECT at, actor, action, note FROM fraud_hold_audit WHERE sandbox_id = $1 AND hold_id = $2 ORDER BY at`, [
      sandboxId,
      holdId,
    ]);
  }

  /** The hold keeps this top-up (held until the review ends); keeping it twice changes nothing. */
  async keepTopup(q: Queryable, sandboxId: string, holdId: string, topupId: string): Promise<void> {
    await q.rows(`INSERT INTO fraud_hold_topups (sandbox_id, hold_id, topup_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
      sandboxId,
      holdId,
      topupId,
    ]);
  }

  async topupIdsOf(q: Queryable, sandboxId: string, holdId: string): Promise<string[]> {
    const rows = await q.rows<{ topup_id: string }>(
      `SELECT topup_id FROM fraud_hold_topups WHERE sandbox_id = $1 AND hold_id = $2 ORDER BY topup_id`,
      [sandboxId, holdId],
    );
    return rows.map((r) => r.topup_id);
  }

  /** A sandbox reset wipes its holds with their audit trails and top-ups. */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    for (const table of ['fraud_hold_audit', 'fraud_hold_topups', 'fraud_holds']) {
      await q.rows(`DELETE FROM ${table} WHERE sandbox_id = $1`, [sandboxId]);
    }
  }
}
