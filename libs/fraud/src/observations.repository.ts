import { Injectable } from '@nestjs/common';
import type { Queryable } from '#core';
import { toYen } from '#ledger';
import type { Observation } from './observations.js';

/** What the top-up rules count in the wallet's last day of requests, from the event's own time. */
export interface TopupVelocity {
  minute: number;
  hour: number;
  day: number;
  amountMinute: number;
  amountHour: number;
  amountDay: number;
}

/** What the top-up rules need from the wallet's history, read in one statement. */
export interface TopupHistory {
  velocity: TopupVelocity;
  /** The wallet's latest sign-in on a new device in its window, and its other top-up requests since. */
  newDeviceSignAt: Date | null;
  topupsSinceNewDevice: number;
  /** The wallet's latest password reset in its window, and its other top-up requests since. */
  passwordResetAt: Date | null;
  topupsSincePasswordReset: number;
  /** Whether the card asked about was added in the new-card window (false when none was). */
  cardAdded: boolean;
  /** The riskiest sign-in's score in the session window. */
  session: number | null;
  /** The wallet's open hold (a fraud_holds row, see HoldsRepository), read here to spare the screening a round trip. */
  openHold: string | null;
}

/** What the payment rules need from the wallet's history, read in one statement. */
export interface PaymentHistory {
  /** Payments in the velocity window. */
  payments: number;
  /** Whether a top-up settled in the drain window. */
  toppedUp: boolean;
  /** The wallet's previous payment at another store. */
  previousStore: string | null;
  previousAt: Date | null;
  /** The riskiest sign-in's score in the session window. */
  session: number | null;
}

/** What a reviewer's case file reads of an observation. */
export interface ReviewedObservation {
  kind: string;
  ip: string | null;
  refId: string | null;
  channel: string | null;
  category: string | null;
  storeId: string | null;
  amount: number;
  score: number;
  flags: Record<string, unknown>;
  occurredAt: Date;
}

/** The events the fraud engine keeps, one row each, and what the rules read back of them. */
@Injectable()
export class ObservationsRepository {
  /** Records an observation; false when this event was already seen (a redelivery). */
  async record(q: Queryable, sandboxId: string, o: Observation, score = 0): Promise<boolean> {
    const rows = await q.rows(
      `INSERT INTO fraud_observations (sandbox_id, event_id, kind, wallet_id, user_id, ip, account_key, device_hash, store_id, ref_id, channel, category, amount, score, flags, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
       ON CONFLICT (sandbox_id, event_id) DO NOTHING RETURNING 1`,
      [
        sandboxId,
        o.eventId,
        o.kind,
        o.walletId,
        o.userId,
        o.ip,
        o.accountKey,
        o.deviceHash,
        o.storeId,
        o.refId,
        o.channel,
        o.category,
        o.amount,
        score,
        JSON.stringify(o.flags),
        o.at,
      ],
    );
    return rows.length === 1;
  }

  async hasSignedInBefore(q: Queryable, sandboxId: string, o: Observation): Promise<boolean> {
    const rows = await q.rows(
      `SELECT 1 FROM fraud_observations WHERE sandbox_id = $1 AND user_id = $2 AND kind = 'login' AND occurred_at < $3 LIMIT 1`,
      [sandboxId, o.userId, o.at],
    );
    return rows.length > 0;
  }

  async setScore(q: Queryable, sandboxId: string, eventId: string, score: number): Promise<void> {
    await q.rows(`UPDATE fraud_observations SET score = $3 WHERE sandbox_id = $1 AND event_id = $2`, [sandboxId, eventId, score]);
  }

  /** The user's sign-ins before `at`: all of them, and those from `country`. */
  async signInsByCountry(
    q: Queryable,
    sandboxId: string,
    userId: string,
    at: Date,
    country: string,
  ): Promise<{ total: number; fromCountry: number }> {
    const [row] = await q.rows<{ total: string; same: string }>(
      `SELECT count(*) AS total, count(*) FILTER (WHERE flags->>'country' = $4) AS same FROM fraud_observations
        WHERE sandbox_id = $1 AND user_id = $2 AND kind = 'login' AND occurred_at < $3`,
      [sandboxId, userId, at, country],
    );
    return { total: Number(row.total), fromCountry: Number(row.same) };
  }

  /** Accounts that signed in on the device in (from, at]. */
  async accountsOnDevice(q: Queryable, sandboxId: string, deviceHash: string, from: Date, at: Date): Promise<number> {
    const [row] = await q.rows<{ users: string }>(
      `SELECT count(DISTINCT user_id) AS users FROM fraud_observations
        WHERE sandbox_id = $1 AND device_hash = $2 AND kind = 'login' AND occurred_at > $3 AND occurred_at <= $4::timestamptz`,
      [sandboxId, deviceHash, from, at],
    );
    return Number(row.users);
  }

  /**
   * One screening of an IP's failed sign-ins at a time, until commit: each then counts the failures
   * screened before it, so concurrent screenings of a wave cannot all count short of the threshold.
   */
  async lockFailuresFrom(q: Queryable, sandboxId: string, ip: string): Promise<void> {
    await q.rows(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`fraud-failures/${sandboxId}/${ip}`]);
  }

  /** Accounts the IP address failed to sign in to in (from, at]. */
  async failedAccountsFromIp(q: Queryable, sandboxId: string, ip: string, from: Date, at: Date): Promise<number> {
    const [row] = await q.rows<{ accounts: string }>(
      `SELECT count(DISTINCT account_key) AS accounts FROM fraud_observations
        WHERE sandbox_id = $1 AND ip = $2 AND kind = 'login_failed' AND occurred_at > $3 AND occurred_at <= $4::timestamptz`,
      [sandboxId, ip, from, at],
    );
    return Number(row.accounts);
  }

  /**
   * The most accounts the IP address failed to sign in to within `minutes`, in the window that ends at `at`
   * or the one that ends at its latest failure observed so far less than `minutes` after `at`. Failures reach
   * the rules out of order: the one observed last may be a wave's earliest, and the wave's later ones count.
   */
  async failedAccountsAroundIp(q: Queryable, sandboxId: string, ip: string, at: Date, minutes: number): Promise<number> {
    const [row] = await q.rows<{ accounts: string }>(
      `WITH failed AS (
         SELECT occurred_at, account_key FROM fraud_observations
          WHERE sandbox_id = $1 AND ip = $2 AND kind = 'login_failed'
            AND occurred_at > $3::timestamptz - make_interval(mins => $4) AND occurred_at < $3::timestamptz + make_interval(mins => $4)),
       ends AS (SELECT $3::timestamptz AS at UNION SELECT max(occurred_at) FROM failed WHERE occurred_at >= $3::timestamptz)
       SELECT coalesce(max((SELECT count(DISTINCT account_key) FROM failed
                             WHERE occurred_at > ends.at - make_interval(mins => $4) AND occurred_at <= ends.at)), 0) AS accounts
         FROM ends WHERE ends.at IS NOT NULL`,
      [sandboxId, ip, at, minutes],
    );
    return Number(row.accounts);
  }

  /** Times the store's registers were blocked for guessing payment codes in (from, at]. */
  async storeInvalidCodeBlocks(q: Queryable, sandboxId: string, storeId: string, from: Date, at: Date): Promise<number> {
    const [row] = await q.rows<{ blocks: string }>(
      `SELECT count(*) AS blocks FROM fraud_observations
        WHERE sandbox_id = $1 AND store_id = $2 AND kind = 'store_invalid_codes' AND occurred_at > $3 AND occurred_at <= $4::timestamptz`,
      [sandboxId, storeId, from, at],
    );
    return Number(row.blocks);
  }

  /** Every top-up is screened before it is funded: what the top-up rules need, in one statement (sql/fraud_topup_history.sql). */
  async topupHistory(
    q: Queryable,
    sandboxId: string,
    o: Observation,
    since: { newDevice: Date; passwordReset: Date; newCard: Date; session: Date },
    card: string | null,
  ): Promise<TopupHistory> {
    const [facts] = await q.rows<{
      o_minute: string;
      o_hour: string;
      o_day: string;
      o_amount_minute: string | null;
      o_amount_hour: string | null;
      o_amount_day: string | null;
      o_new_device_sign_at: Date | null;
      o_topups_since_new_device: string;
      o_password_reset_at: Date | null;
      o_topups_since_password_reset: string;
      o_card_added: boolean;
      o_session: number | null;
      o_open_hold: string | null;
    }>(`SELECT * FROM fraud_topup_history($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
      sandboxId,
      o.walletId,
      o.at,
      o.eventId,
      card,
      since.newDevice,
      since.passwordReset,
      since.newCard,
      since.session,
    ]);
    return {
      velocity: {
        minute: Number(facts.o_minute),
        hour: Number(facts.o_hour),
        day: Number(facts.o_day),
        amountMinute: Number(facts.o_amount_minute ?? 0),
        amountHour: Number(facts.o_amount_hour ?? 0),
        amountDay: Number(facts.o_amount_day ?? 0),
      },
      newDeviceSignAt: facts.o_new_device_sign_at,
      topupsSinceNewDevice: Number(facts.o_topups_since_new_device),
      passwordResetAt: facts.o_password_reset_at,
      topupsSincePasswordReset: Number(facts.o_topups_since_password_reset),
      cardAdded: facts.o_card_added,
      session: facts.o_session,
      openHold: facts.o_open_hold,
    };
  }

  /** Every payment is observed, so this is the fraud module's hottest read: one statement (sql/fraud_payment_history.sql). */
  async paymentHistory(
    q: Queryable,
    sandboxId: string,
    o: Observation,
    since: { velocity: Date; drain: Date; session: Date },
  ): Promise<PaymentHistory> {
    const [facts] = await q.rows<{
      o_payments: string;
      o_topped_up: boolean;
      o_previous_store: string | null;
      o_previous_at: Date | null;
      o_session: number | null;
    }>(`SELECT * FROM fraud_payment_history($1, $2, $3, $4, $5, $6, $7, $8)`, [
      sandboxId,
      o.walletId,
      o.at,
      o.eventId,
      o.storeId ?? '',
      since.velocity,
      since.drain,
      since.session,
    ]);
    return {
      payments: Number(facts.o_payments),
      toppedUp: facts.o_topped_up,
      previousStore: facts.o_previous_store,
      previousAt: facts.o_previous_at,
      session: facts.o_session,
    };
  }

  /** The wallet's earliest sign-in that scored any risk in the day up to `at`, or null. */
  async earliestRiskySignInOfDay(q: Queryable, sandboxId: string, walletId: string | null, at: Date): Promise<Date | null> {
    const [row] = await q.rows<{ at: Date | null }>(
      `SELECT min(occurred_at) AS at FROM fraud_observations
        WHERE sandbox_id = $1 AND wallet_id = $2 AND kind = 'login' AND score > 0 AND occurred_at > $3::timestamptz - interval '1 day' AND occurred_at <= $3::timestamptz`,
      [sandboxId, walletId, at],
    );
    return row.at;
  }

  /** Of the wallet's events up to `at`: the user of the latest, and its earliest risky sign-in of the days before. */
  async walletUserAndRiskySince(
    q: Queryable,
    sandboxId: string,
    walletId: string,
    at: Date,
    lookbackDays: number,
  ): Promise<{ userId: string | null; riskySince: Date | null }> {
    const [seen] = await q.rows<{ user_id: string | null; risky_since: Date | null }>(
      `SELECT (array_agg(user_id ORDER BY occurred_at DESC) FILTER (WHERE user_id IS NOT NULL))[1] AS user_id,
              min(occurred_at) FILTER (WHERE kind = 'login' AND score > 0 AND occurred_at > $3::timestamptz - make_interval(days => $4)) AS risky_since
         FROM fraud_observations WHERE sandbox_id = $1 AND wallet_id = $2 AND occurred_at <= $3`,
      [sandboxId, walletId, at, lookbackDays],
    );
    return { userId: seen?.user_id ?? null, riskySince: seen?.risky_since ?? null };
  }

  /** Card top-ups that settled on the wallet in [from, until], by top-up id. */
  async settledCardTopups(
    q: Queryable,
    sandboxId: string,
    walletId: string,
    from: Date,
    until: Date,
  ): Promise<Array<{ topupId: string; amount: number }>> {
    const topups = await q.rows<{ ref_id: string; amount: string }>(
      `SELECT ref_id, amount FROM fraud_observations
        WHERE sandbox_id = $1 AND wallet_id = $2 AND kind = 'topup_succeeded' AND channel = 'card' AND occurred_at >= $3 AND occurred_at <= $4
        ORDER BY ref_id`,
      [sandboxId, walletId, from, until],
    );
    return topups.map((t) => ({ topupId: t.ref_id, amount: toYen(t.amount) }));
  }

  /** Yen the wallet paid, and had refunded, in [from, until]. */
  async paidAndRefunded(
    q: Queryable,
    sandboxId: string,
    walletId: string,
    from: Date,
    until: Date,
  ): Promise<{ paid: number; refunded: number }> {
    const [spent] = await q.rows<{ paid: string | null; refunded: string | null }>(
      `SELECT sum(amount) FILTER (WHERE kind = 'payment') AS paid, sum(amount) FILTER (WHERE kind = 'refund') AS refunded FROM fraud_observations
        WHERE sandbox_id = $1 AND wallet_id = $2 AND kind IN ('payment', 'refund') AND occurred_at >= $3 AND occurred_at <= $4`,
      [sandboxId, walletId, from, until],
    );
    return { paid: toYen(spent.paid), refunded: toYen(spent.refunded) };
  }

  /** The wallet's sign-ins, top-ups and payments in [from, to], newest first: what a reviewer reads. */
  async forReview(q: Queryable, sandboxId: string, walletId: string, from: Date, to: Date): Promise<ReviewedObservation[]> {
    const rows = await q.rows<{
      kind: string;
      ip: string | null;
      ref_id: string | null;
      channel: string | null;
      category: string | null;
      store_id: string | null;
      amount: string | null;
      score: number;
      flags: Record<string, unknown>;
      occurred_at: Date;
    }>(
      `SELECT kind, ip, ref_id, channel, category, store_id, amount, score, flags, occurred_at FROM fraud_observations
        WHERE sandbox_id = $1 AND wallet_id = $2 AND kind IN ('login', 'topup_requested', 'topup_succeeded', 'payment')
          AND occurred_at >= $3 AND occurred_at <= $4
        ORDER BY occurred_at DESC, event_id DESC`,
      [sandboxId, walletId, from, to],
    );
    return rows.map((r) => ({
      kind: r.kind,
      ip: r.ip,
      refId: r.ref_id,
      channel: r.channel,
      category: r.category,
      storeId: r.store_id,
      amount: toYen(r.amount),
      score: r.score,
      flags: r.flags,
      occurredAt: r.occurred_at,
    }));
  }

  /** A sandbox reset wipes its observations. */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    await q.rows(`DELETE FROM fraud_observations WHERE sandbox_id = $1`, [sandboxId]);
  }
}
