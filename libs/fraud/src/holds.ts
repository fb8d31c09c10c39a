import { Injectable } from '@nestjs/common';
import { Database, DomainError, Outbox, type Queryable, type SandboxContext, Topic, type Tx, newId } from '#core';
import { LedgerService } from '#ledger';
import type { Hit } from './rules.js';

export type HoldStatus = 'open' | 'released' | 'confirmed' | 'expired';

export interface Hold {
  id: string;
  walletId: string;
  userId: string | null;
  status: HoldStatus;
  reason: string;
  score: number;
  rules: string[];
  /** Why: each rule that fired on the triggering event, with the inputs it saw. */
  hits: Array<{ rule: string; score: number; inputs: Record<string, unknown> }>;
  /** The part of the score carried over from a risky sign-in shortly before (see sessionRiskMinutes). */
  sessionRisk: number;
  topupIds: string[];
  windowStart: string;
  createdAt: string;
  expiresAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolutionReason: string | null;
  audit: Array<{ at: string; actor: string; action: string; note: string | null }>;
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

export interface HoldTrigger {
  /** The event the rules scored; none for a hold an operator placed. */
  eventId: string | null;
  walletId: string;
  userId: string | null;
  reason: string;
  score: number;
  hits: Hit[];
  /** When the suspicious activity began: what a confirmed fraud reaches back to. */
  windowStart: Date;
  topupId?: string;
}

/** How far back an operator's hold looks for the sign-in where a takeover began, when not told. */
const REPORTED_TAKEOVER_LOOKBACK_DAYS = 7;

/**
 * Holds on wallets: placed by the rules, reviewed by an operator (release or
 * confirm fraud), lifted by policy when nobody reviews them. Each change is
 * audited and announced; the ledger, top-up and identity modules act on the
 * announcements.
 */
@Injectable()
export class Holds {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly ledger: LedgerService,
  ) {}

  /**
   * An operator holds a wallet the rules did not (a customer reported a
   * takeover): the same hold, reviewed the same way. The case reaches back
   * to `since`, else to the wallet's earliest risky sign-in of the week
   * before, else to now.
   */
  async placeByOperator(
    sandbox: SandboxContext,
    input: { walletId: string; reason: string; since?: Date },
    actor: string,
    expiryHours: number,
  ): Promise<Hold> {
    if (!(await this.ledger.accountExists(this.db, sandbox.id, input.walletId, 'wallet')))
      throw DomainError.notFound('wallet', input.walletId);
    const holdId = await this.db.transaction(async (tx) => {
      const now = sandbox.time.now();
      const [seen] = await tx.rows<{ user_id: string | null; risky_since: Date | null }>(
        `SELECT (array_agg(user_id ORDER BY occurred_at DESC) FILTER (WHERE user_id IS NOT NULL))[1] AS user_id,
                min(occurred_at) FILTER (WHERE kind = 'login' AND score > 0 AND occurred_at > $3::timestamptz - make_interval(days => $4)) AS risky_since
           FROM fraud_observations WHERE sandbox_id = $1 AND wallet_id = $2 AND occurred_at <= $3`,
        [sandbox.id, input.walletId, now, REPORTED_TAKEOVER_LOOKBACK_DAYS],
      );
      const trigger = {
        eventId: null,
        walletId: input.walletId,
        userId: seen?.user_id ?? null,
        reason: input.reason,
        score: 0,
        hits: [],
        windowStart: input.since ?? seen?.risky_since ?? now,
      };
      const { holdId: id, placed } = await this.placeOrJoin(tx, sandbox, trigger, expiryHours, actor);
      if (!placed) throw new DomainError('hold_exists', 'The wallet is already on hold: review that hold', { holdId: id });
      return id;
    });
    return this.get(sandbox.id, holdId);
  }

  /** Places a hold on the wallet, or joins the open one; a held top-up is attached either way. */
  async place(tx: Tx, sandbox: SandboxContext, trigger: HoldTrigger, expiryHours: number): Promise<string> {
    return (await this.placeOrJoin(tx, sandbox, trigger, expiryHours, 'rules')).holdId;
  }

  /**
   * One open hold per wallet, kept by a unique index: of two placed at the
   * same moment, one inserts and the other joins it.
   */
  private async placeOrJoin(
    tx: Tx,
    sandbox: SandboxContext,
    trigger: HoldTrigger,
    expiryHours: number,
    placedBy: string,
  ): Promise<{ holdId: string; placed: boolean }> {
    const now = sandbox.time.now();
    const rules = trigger.hits.map((h) => h.rule);
    const candidate = newId('hld');
    const [inserted] = await tx.rows<{ id: string }>(
      `INSERT INTO fraud_holds (sandbox_id, id, wallet_id, user_id, status, reason, score, rules, trigger_event_id, window_start, created_at, expires_at)
       VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (sandbox_id, wallet_id) WHERE status = 'open' DO NOTHING RETURNING id`,
      [
        sandbox.id,
        candidate,
        trigger.walletId,
        trigger.userId,
        trigger.reason,
        trigger.score,
        JSON.stringify(rules),
        trigger.eventId ?? candidate,
        trigger.windowStart,
        now,
        new Date(now.getTime() + expiryHours * 3_600_000),
      ],
    );
    let holdId = inserted?.id;
    if (holdId) {
      const note = rules.length > 0 ? `${trigger.reason} (score ${trigger.score}: ${rules.join(', ')})` : trigger.reason;
      await this.audit(tx, sandbox.id, holdId, now, placedBy, 'placed', note);
      await this.outbox.emit(tx, sandbox, Topic.HoldPlaced, {
        holdId,
        walletId: trigger.walletId,
        userId: trigger.userId,
        reason: trigger.reason,
        score: trigger.score,
        rules,
      });
    } else {
      // Waits for the transaction that placed the open hold, so a top-up joins a hold that exists.
      const [open] = await tx.rows<{ id: string }>(
        `SELECT id FROM fraud_holds WHERE sandbox_id = $1 AND wallet_id = $2 AND status = 'open' FOR UPDATE`,
        [sandbox.id, trigger.walletId],
      );
      if (!open) throw new Error(`the open hold of wallet ${trigger.walletId} vanished while joining it`);
      holdId = open.id;
    }
    if (trigger.topupId) {
      await tx.rows(`INSERT INTO fraud_hold_topups (sandbox_id, hold_id, topup_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
        sandbox.id,
        holdId,
        trigger.topupId,
      ]);
    }
    return { holdId, placed: inserted !== undefined };
  }

  async openHold(q: Queryable, sandboxId: string, walletId: string | null): Promise<string | null> {
    if (!walletId) return null;
    const [row] = await q.rows<{ id: string }>(`SELECT id FROM fraud_holds WHERE sandbox_id = $1 AND wallet_id = $2 AND status = 'open'`, [
      sandboxId,
      walletId,
    ]);
    return row?.id ?? null;
  }

  /** The operator lifts the hold: payments resume and held top-ups settle. */
  async release(sandbox: SandboxContext, holdId: string, actor: string, reason: string): Promise<Hold> {
    await this.db.transaction(async (tx) => {
      const hold = await this.lockOpen(tx, sandbox.id, holdId);
      await this.resolve(tx, sandbox, hold, 'released', actor, reason);
      await this.outbox.emit(tx, sandbox, Topic.HoldReleased, {
        holdId,
        walletId: hold.wallet_id,
        topupIds: await this.topups(tx, sandbox.id, holdId),
        resolution: 'released',
      });
    });
    return this.get(sandbox.id, holdId);
  }

  /** The operator confirms fraud: the victim is recorded and compensation starts; held top-ups are cancelled. */
  async confirmFraud(
    sandbox: SandboxContext,
    holdId: string,
    actor: string,
    reason: string,
    since?: Date,
  ): Promise<Hold & { victimId: string }> {
    const victimId = await this.db.transaction(async (tx) => {
      const hold = await this.lockOpen(tx, sandbox.id, holdId);
      const now = sandbox.time.now();
      const windowStart = since ?? hold.window_start;
      await this.resolve(tx, sandbox, hold, 'confirmed', actor, reason);
      const id = newId('vic');
      await tx.rows(
        `INSERT INTO fraud_victims (sandbox_id, id, hold_id, wallet_id, user_id, window_start, confirmed_at, status) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending')`,
        [sandbox.id, id, holdId, hold.wallet_id, hold.user_id, windowStart, now],
      );
      await this.outbox.emit(tx, sandbox, Topic.FraudConfirmed, {
        holdId,
        victimId: id,
        walletId: hold.wallet_id,
        userId: hold.user_id,
        windowStart: windowStart.toISOString(),
        topupIds: await this.topups(tx, sandbox.id, holdId),
      });
      return id;
    });
    return { ...(await this.get(sandbox.id, holdId)), victimId };
  }

  /** Holds nobody reviewed in time lift themselves (as a release would). */
  async expireDue(sandbox: SandboxContext): Promise<number> {
    const now = sandbox.time.now();
    const due = await this.db.rows<{ id: string }>(
      `SELECT id FROM fraud_holds WHERE sandbox_id = $1 AND status = 'open' AND expires_at <= $2 LIMIT 500`,
      [sandbox.id, now],
    );
    for (const { id } of due) {
      await this.db.transaction(async (tx) => {
        const [hold] = await tx.rows<HoldRow>(
          `SELECT * FROM fraud_holds WHERE sandbox_id = $1 AND id = $2 AND status = 'open' FOR UPDATE`,
          [sandbox.id, id],
        );
        if (!hold) return;
        await this.resolve(tx, sandbox, hold, 'expired', 'policy', 'not reviewed in time');
        await this.outbox.emit(tx, sandbox, Topic.HoldReleased, {
          holdId: id,
          walletId: hold.wallet_id,
          topupIds: await this.topups(tx, sandbox.id, id),
          resolution: 'expired',
        });
      });
    }
    return due.length;
  }

  async list(
    sandboxId: string,
    query: { status?: HoldStatus; limit: number; startingAfter?: string },
  ): Promise<{ data: Hold[]; hasMore: boolean }> {
    const rows = await this.db.rows<HoldRow>(
      `SELECT * FROM fraud_holds WHERE sandbox_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR id < $3) ORDER BY id DESC LIMIT $4`,
      [sandboxId, query.status ?? null, query.startingAfter ?? null, query.limit + 1],
    );
    const data = await Promise.all(rows.slice(0, query.limit).map((row) => this.view(sandboxId, row)));
    return { data, hasMore: rows.length > query.limit };
  }

  async get(sandboxId: string, holdId: string): Promise<Hold> {
    const [row] = await this.db.rows<HoldRow>(`SELECT * FROM fraud_holds WHERE sandbox_id = $1 AND id = $2`, [sandboxId, holdId]);
    if (!row) throw DomainError.notFound('hold', holdId);
    return this.view(sandboxId, row);
  }

  private async lockOpen(tx: Tx, sandboxId: string, holdId: string): Promise<HoldRow> {
    const [hold] = await tx.rows<HoldRow>(`SELECT * FROM fraud_holds WHERE sandbox_id = $1 AND id = $2 FOR UPDATE`, [sandboxId, holdId]);
    if (!hold) throw DomainError.notFound('hold', holdId);
    if (hold.status !== 'open')
      throw new DomainError('invalid_transition', `The hold is already ${hold.status}`, { holdStatus: hold.status });
    return hold;
  }

  private async resolve(tx: Tx, sandbox: SandboxContext, hold: HoldRow, status: HoldStatus, actor: string, reason: string): Promise<void> {
    const now = sandbox.time.now();
    await tx.rows(
      `UPDATE fraud_holds SET status = $3, resolved_at = $4, resolved_by = $5, resolution_reason = $6 WHERE sandbox_id = $1 AND id = $2`,
      [sandbox.id, hold.id, status, now, actor, reason],
    );
    await this.audit(tx, sandbox.id, hold.id, now, actor, status, reason);
  }

  private async audit(
    q: Queryable,
    sandboxId: string,
    holdId: string,
    at: Date,
    actor: string,
    action: string,
    note: string | null,
  ): Promise<void> {
    await q.rows(`INSERT INTO fraud_hold_audit (sandbox_id, hold_id, at, actor, action, note) VALUES ($1, $2, $3, $4, $5, $6)`, [
      sandboxId,
      holdId,
      at,
      actor,
      action,
      note,
    ]);
  }

  private async topups(q: Queryable, sandboxId: string, holdId: string): Promise<string[]> {
    const rows = await q.rows<{ topup_id: string }>(
      `SELECT topup_id FROM fraud_hold_topups WHERE sandbox_id = $1 AND hold_id = $2 ORDER BY topup_id`,
      [sandboxId, holdId],
    );
    return rows.map((r) => r.topup_id);
  }

  private async view(sandboxId: string, row: HoldRow): Promise<Hold> {
    const audit = await this.db.rows<{ at: Date; actor: string; action: string; note: string | null }>(
      `SELECT at, actor, action, note FROM fraud_hold_audit WHERE sandbox_id = $1 AND hold_id = $2 ORDER BY at`,
      [sandboxId, row.id],
    );
    const hits = await this.db.rows<{ rule: string; score: number; inputs: Record<string, unknown> }>(
      `SELECT rule, score, inputs FROM fraud_rule_hits WHERE sandbox_id = $1 AND event_id = $2 ORDER BY rule`,
      [sandboxId, row.trigger_event_id],
    );
    return {
      id: row.id,
      walletId: row.wallet_id,
      userId: row.user_id,
      status: row.status,
      reason: row.reason,
      score: row.score,
      rules: row.rules,
      hits,
      sessionRisk: row.score - hits.reduce((sum, h) => sum + h.score, 0),
      topupIds: await this.topups(this.db, sandboxId, row.id),
      windowStart: row.window_start.toISOString(),
      createdAt: row.created_at.toISOString(),
      expiresAt: row.expires_at.toISOString(),
      resolvedAt: row.resolved_at?.toISOString() ?? null,
      resolvedBy: row.resolved_by,
      resolutionReason: row.resolution_reason,
      audit: audit.map((a) => ({ at: a.at.toISOString(), actor: a.actor, action: a.action, note: a.note })),
    };
  }
}
