import { Injectable } from '@nestjs/common';
import { DomainError, type Queryable, type TopupChannel } from '#core';
import type { TopupFacts } from './topup.events.js';
import { toYen } from '#ledger';

export type TopupStatus = 'pending' | 'succeeded' | 'failed' | 'held' | 'canceled';

export interface Topup {
  id: string;
  walletId: string;
  userId: string | null;
  channel: TopupChannel;
  amount: number;
  status: TopupStatus;
  failureCode: string | null;
  cardId: string | null;
  bankAccountId: string | null;
  storeId: string | null;
  nextAction: Record<string, unknown> | null;
  threeDsHash: string | null;
  threeDsTries: number;
  transferId: string | null;
  usageDay: string;
  createdAt: Date;
  updatedAt: Date;
}

interface TopupRow {
  id: string;
  wallet_id: string;
  user_id: string | null;
  channel: TopupChannel;
  amount: string;
  status: TopupStatus;
  failure_code: string | null;
  card_id: string | null;
  bank_account_id: string | null;
  store_id: string | null;
  next_action: Record<string, unknown> | null;
  three_ds_hash: string | null;
  three_ds_tries: number;
  transfer_id: string | null;
  usage_day: string;
  created_at: Date;
  updated_at: Date;
}

const toTopup = (row: TopupRow): Topup => ({
  id: row.id,
  walletId: row.wallet_id,
  userId: row.user_id,
  channel: row.channel,
  amount: toYen(row.amount),
  status: row.status,
  failureCode: row.failure_code,
  cardId: row.card_id,
  bankAccountId: row.bank_account_id,
  storeId: row.store_id,
  nextAction: row.next_action,
  threeDsHash: row.three_ds_hash,
  threeDsTries: row.three_ds_tries,
  transferId: row.transfer_id,
  usageDay: row.usage_day,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export function topupFacts(t: Pick<Topup, 'id' | 'walletId' | 'userId' | 'channel' | 'amount' | 'cardId' | 'storeId'>): TopupFacts {
  return {
    topupId: t.id,
    walletId: t.walletId,
    userId: t.userId,
    channel: t.channel,
    amount: t.amount,
    cardId: t.cardId,
    storeId: t.storeId,
  };
}

/** Whether the step the top-up waits on (an ATM deposit, a 3-D Secure code) has run out. */
export function deadlinePassed(t: Topup, now: Date): boolean {
  const expiresAt = t.nextAction?.expiresAt;
  return typeof expiresAt === 'string' && Date.parse(expiresAt) <= now.getTime();
}

/** Who may look at a top-up: its customer, the store that took the cash, or the operator (no filter). */
export interface TopupViewer {
  walletId?: string;
  storeId?: string;
}

const COLUMNS = `id, wallet_id, user_id, channel, amount, status, failure_code, card_id, bank_account_id, store_id, next_action,
                 three_ds_hash, three_ds_tries, transfer_id, to_char(usage_day, 'YYYY-MM-DD') AS usage_day, created_at, updated_at`;

@Injectable()
export class TopupsRepository {
  /**
   * See sql/topup_request.sql: reserves the amount and records the top-up pending, with its `topup.requested`
   * event when `event` is given, in one statement. Answers the top-up, or the limit it would cross.
   */
  async request(
    q: Queryable,
    t: {
      sandboxId: string;
      id: string;
      walletId: string;
      userId: string | null;
      channel: TopupChannel;
      amount: number;
      cardId?: string;
      bankAccountId?: string;
      storeId?: string;
      nextAction?: object;
      usageDay: string;
      at: Date;
      dailyCap: number;
      maxBalance: number;
      event: { id: string; requestId: string | null } | null;
    },
  ): Promise<Topup | 'daily_cap' | 'max_balance'> {
    const [row] = await q.rows<TopupRow & { outcome: 'reserved' | 'daily_cap' | 'max_balance' }>(
      `SELECT r.o_outcome AS outcome, ${COLUMNS}
         FROM topup_request($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::date, $12, $13, $14, $15, $16, $17) r,
              LATERAL (SELECT (r.o_topup).*) t`,
      [
        t.sandboxId,
        t.id,
        t.walletId,
        t.userId,
        t.channel,
        t.amount,
        t.cardId ?? null,
        t.bankAccountId ?? null,
        t.storeId ?? null,
        t.nextAction ? JSON.stringify(t.nextAction) : null,
        t.usageDay,
        t.at,
        t.dailyCap,
        t.maxBalance,
        t.event?.id ?? null,
        t.event ? JSON.stringify(topupFacts({ ...t, cardId: t.cardId ?? null, storeId: t.storeId ?? null })) : null,
        t.event?.requestId ?? null,
      ],
    );
    return row.outcome === 'reserved' ? toTopup(row) : row.outcome;
  }

  /** The top-up if the viewer may see it, or null; `lock` takes its row lock. */
  async find(q: Queryable, sandboxId: string, id: string, viewer: TopupViewer = {}, lock = false): Promise<Topup | null> {
    const [row] = await q.rows<TopupRow>(
      `SELECT ${COLUMNS} FROM topup_topups WHERE sandbox_id = $1 AND id = $2
          AND ($3::text IS NULL OR wallet_id = $3) AND ($4::text IS NULL OR store_id = $4) ${lock ? 'FOR UPDATE' : ''}`,
      [sandboxId, id, viewer.walletId ?? null, viewer.storeId ?? null],
    );
    return row ? toTopup(row) : null;
  }

  /** The top-up, or the `not_found` problem. */
  async get(q: Queryable, sandboxId: string, id: string, viewer: TopupViewer = {}, lock = false): Promise<Topup> {
    const topup = await this.find(q, sandboxId, id, viewer, lock);
    if (!topup) throw DomainError.notFound('top-up', id);
    return topup;
  }

  async update(
    q: Queryable,
    sandboxId: string,
    id: string,
    change: {
      status?: TopupStatus;
      failureCode?: string;
      nextAction?: object | null;
      threeDsHash?: string | null;
      threeDsTries?: number;
      authorizationId?: string;
      transferId?: string;
      pendingId?: string;
    },
    at: Date,
  ): Promise<void> {
    await q.rows(
      `UPDATE topup_topups SET
         status = COALESCE($3, status), failure_code = COALESCE($4, failure_code),
         next_action = CASE WHEN $5::boolean THEN $6::jsonb ELSE next_action END,
         three_ds_hash = CASE WHEN $7::boolean THEN $8 ELSE three_ds_hash END,
         three_ds_tries = COALESCE($9, three_ds_tries), authorization_id = COALESCE($10, authorization_id),
         transfer_id = COALESCE($11, transfer_id), pending_id = COALESCE($12, pending_id), updated_at = $13
       WHERE sandbox_id = $1 AND id = $2`,
      [
        sandboxId,
        id,
        change.status ?? null,
        change.failureCode ?? null,
        change.nextAction !== undefined,
        change.nextAction ? JSON.stringify(change.nextAction) : null,
        change.threeDsHash !== undefined,
        change.threeDsHash ?? null,
        change.threeDsTries ?? null,
        change.authorizationId ?? null,
        change.transferId ?? null,
        change.pendingId ?? null,
        at,
      ],
    );
  }

  /**
   * Serialises the maximum-balance check with the settlements of the wallet's
   * top-ups: while one holds this, no top-up moves from in flight to the
   * balance, so the two reads of the check see it exactly once. Taken first
   * in its transaction, before any row lock.
   */
  async lockWallet(q: Queryable, sandboxId: string, walletId: string): Promise<void> {
    await q.rows(`SELECT topup_lock_wallet($1, $2)`, [sandboxId, walletId]);
  }

  /**
   * See sql/topup_settle.sql: credits a pending top-up once, marks it succeeded and writes `topup.succeeded`
   * (its facts plus the transfer and the new balance), in one statement; answers the status it had otherwise.
   */
  async settle(
    q: Queryable,
    s: {
      sandboxId: string;
      topupId: string;
      debit: string;
      authorizationId: string;
      transferId: string;
      eventId: string;
      facts: TopupFacts;
      requestId: string | null;
      at: Date;
    },
  ): Promise<TopupStatus> {
    const [row] = await q.rows<{ outcome: TopupStatus }>(`SELECT topup_settle($1, $2, $3, $4, $5, $6, $7, $8, $9) AS outcome`, [
      s.sandboxId,
      s.topupId,
      s.debit,
      s.authorizationId,
      s.transferId,
      s.eventId,
      JSON.stringify(s.facts),
      s.requestId,
      s.at,
    ]);
    return row.outcome;
  }

  /**
   * What a top-up that will never settle gives back: its points (for a points
   * top-up) and its share of the day's usage. Points first, in the order a
   * request takes them, so the two never wait on each other.
   */
  async giveBack(q: Queryable, sandboxId: string, topup: Topup): Promise<void> {
    if (topup.channel === 'points') {
      await q.rows(`UPDATE topup_points SET balance = balance + $3 WHERE sandbox_id = $1 AND wallet_id = $2`, [
        sandboxId,
        topup.walletId,
        topup.amount,
      ]);
    }
    await q.rows(`UPDATE topup_daily_usage SET amount = GREATEST(amount - $4, 0) WHERE sandbox_id = $1 AND wallet_id = $2 AND day = $3`, [
      sandboxId,
      topup.walletId,
      topup.usageDay,
      topup.amount,
    ]);
  }

  /** Pending top-ups of the sandbox whose next action ran out, with the sandbox clock's time (published by the sandbox module). */
  async overdue(q: Queryable, sandboxId: string, limit: number): Promise<Array<{ id: string; now: Date }>> {
    return q.rows<{ id: string; now: Date }>(
      `SELECT t.id, c.now FROM topup_topups t JOIN sandbox_clocks c ON c.sandbox_id = t.sandbox_id
        WHERE t.sandbox_id = $1 AND t.status = 'pending' AND (t.next_action->>'expiresAt')::timestamptz <= c.now LIMIT $2`,
      [sandboxId, limit],
    );
  }

  /** Sandboxes with an overdue top-up, for the periodic sweep. */
  async sandboxesWithOverdue(q: Queryable): Promise<string[]> {
    const rows = await q.rows<{ sandbox_id: string }>(
      `SELECT DISTINCT t.sandbox_id FROM topup_topups t JOIN sandbox_clocks c ON c.sandbox_id = t.sandbox_id
        WHERE t.status = 'pending' AND (t.next_action->>'expiresAt')::timestamptz <= c.now`,
    );
    return rows.map((row) => row.sandbox_id);
  }

  /** The pending transfer that reserves a held top-up's funds. */
  async pendingIdOf(q: Queryable, sandboxId: string, topupId: string): Promise<string> {
    const [row] = await q.rows<{ pending_id: string }>(`SELECT pending_id FROM topup_topups WHERE sandbox_id = $1 AND id = $2`, [
      sandboxId,
      topupId,
    ]);
    return row.pending_id;
  }

  /** Compensation reversed these card top-ups: the network cancelled their charges. */
  async markReversed(q: Queryable, sandboxId: string, topupIds: string[], at: Date): Promise<void> {
    await q.rows(
      `UPDATE topup_topups SET status = 'canceled', failure_code = 'charge_cancelled', updated_at = $3
        WHERE sandbox_id = $1 AND id = ANY($2) AND status = 'succeeded'`,
      [sandboxId, topupIds, at],
    );
  }

  /** A sandbox reset wipes its top-ups and their daily usage. */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    await q.rows(`DELETE FROM topup_daily_usage WHERE sandbox_id = $1`, [sandboxId]);
    await q.rows(`DELETE FROM topup_topups WHERE sandbox_id = $1`, [sandboxId]);
  }
}
