import { Injectable } from '@nestjs/common';
import type { Queryable } from '#core';
import { Stores } from '#capture';
import type { Observation } from './observations.js';
import { type FraudSettings, type Hit, type RuleId, countryOf, distanceKm } from './rules.js';

const MINUTE = 60_000;

/**
 * The rules. Each looks at the observations around one event, measured from
 * the event's own sandbox time, so a replay scores exactly as live traffic did.
 */
@Injectable()
export class RiskEngine {
  constructor(private readonly stores: Stores) {}

  async login(q: Queryable, sandboxId: string, o: Observation, s: FraudSettings): Promise<Hit[]> {
    const hits: Hit[] = [];
    const on = (rule: RuleId) => s.rules[rule].enabled;
    const country = countryOf(o.ip, s.domesticNetworks);
    if (on('login.new_device') && o.flags.deviceChange === true) hits.push(hit(s, 'login.new_device', { deviceId: o.refId }));
    if (on('login.overseas_ip') && country === 'overseas') hits.push(hit(s, 'login.overseas_ip', { ip: o.ip }));
    if (on('login.new_country') && o.userId) {
      const [row] = await q.rows<{ total: string; same: string }>(
        `SELECT count(*) AS total, count(*) FILTER (WHERE flags->>'country' = $4) AS same FROM fraud_observations
          WHERE sandbox_id = $1 AND user_id = $2 AND kind = 'login' AND occurred_at < $3`,
        [sandboxId, o.userId, o.at, country],
      );
      if (Number(row.total) > 0 && Number(row.same) === 0)
        hits.push(hit(s, 'login.new_country', { country, earlierLogins: Number(row.total) }));
    }
    const burst = await this.ipFailureBurst(q, sandboxId, o, s);
    if (burst) hits.push(burst);
    if (on('device.shared') && o.deviceHash) {
      const rule = s.rules['device.shared'];
      const [row] = await q.rows<{ users: string }>(
        `SELECT count(DISTINCT user_id) AS users FROM fraud_observations
          WHERE sandbox_id = $1 AND device_hash = $2 AND kind = 'login' AND occurred_at > $3 AND occurred_at <= $4::timestamptz`,
        [sandboxId, o.deviceHash, before(o.at, rule.windowMinutes), o.at],
      );
      if (Number(row.users) >= (rule.threshold ?? 0)) hits.push(hit(s, 'device.shared', { accounts: Number(row.users) }));
    }
    return hits;
  }

  /** The event's IP failed to sign in to many accounts lately: scored on its next sign-in, an alert on the failure itself. */
  async ipFailureBurst(q: Queryable, sandboxId: string, o: Observation, s: FraudSettings): Promise<Hit | null> {
    const rule = s.rules['login.ip_failure_burst'];
    if (!rule.enabled || !o.ip) return null;
    const [row] = await q.rows<{ accounts: string }>(
      `SELECT count(DISTINCT account_key) AS accounts FROM fraud_observations
        WHERE sandbox_id = $1 AND ip = $2 AND kind = 'login_failed' AND occurred_at > $3 AND occurred_at <= $4::timestamptz`,
      [sandboxId, o.ip, before(o.at, rule.windowMinutes), o.at],
    );
    const failedAccounts = Number(row.accounts);
    return failedAccounts >= (rule.threshold ?? 0) ? hit(s, 'login.ip_failure_burst', { ip: o.ip, failedAccounts }) : null;
  }

  /** A store's registers were blocked for guessing payment codes, as often as the rule's threshold within its window. */
  async storeInvalidCodes(q: Queryable, sandboxId: string, o: Observation, s: FraudSettings): Promise<Hit | null> {
    const rule = s.rules['store.invalid_codes'];
    if (!rule.enabled || !o.storeId) return null;
    const [row] = await q.rows<{ blocks: string }>(
      `SELECT count(*) AS blocks FROM fraud_observations
        WHERE sandbox_id = $1 AND store_id = $2 AND kind = 'store_invalid_codes' AND occurred_at > $3 AND occurred_at <= $4::timestamptz`,
      [sandboxId, o.storeId, before(o.at, rule.windowMinutes), o.at],
    );
    const blocks = Number(row.blocks);
    return blocks >= (rule.threshold ?? 0) ? hit(s, 'store.invalid_codes', { keyId: o.refId, ...o.flags, blocks }) : null;
  }

  async topup(q: Queryable, sandboxId: string, o: Observation, s: FraudSettings): Promise<Hit[]> {
    const hits: Hit[] = [];
    const on = (rule: RuleId) => s.rules[rule].enabled;
    const [v] = await q.rows<{
      minute: string;
      hour: string;
      day: string;
      amount_minute: string | null;
      amount_hour: string | null;
      amount_day: string | null;
    }>(
      `SELECT count(*) FILTER (WHERE occurred_at > $3::timestamptz - interval '1 minute') AS minute,
              count(*) FILTER (WHERE occurred_at > $3::timestamptz - interval '1 hour') AS hour,
              count(*) AS day,
              sum(amount) FILTER (WHERE occurred_at > $3::timestamptz - interval '1 minute') AS amount_minute,
              sum(amount) FILTER (WHERE occurred_at > $3::timestamptz - interval '1 hour') AS amount_hour,
              sum(amount) AS amount_day
         FROM fraud_observations
        WHERE sandbox_id = $1 AND wallet_id = $2 AND kind = 'topup_requested' AND occurred_at > $3::timestamptz - interval '1 day' AND occurred_at <= $3::timestamptz`,
      [sandboxId, o.walletId, o.at],
    );
    for (const [rule, count] of [
      ['topup.velocity_minute', Number(v.minute)],
      ['topup.velocity_hour', Number(v.hour)],
      ['topup.velocity_day', Number(v.day)],
    ] as Array<[RuleId, number]>) {
      if (on(rule) && count > (s.rules[rule].threshold ?? Infinity)) hits.push(hit(s, rule, { topups: count }));
    }
    for (const [rule, amount] of [
      ['topup.amount_minute', Number(v.amount_minute ?? 0)],
      ['topup.amount_hour', Number(v.amount_hour ?? 0)],
      ['topup.amount_day', Number(v.amount_day ?? 0)],
    ] as Array<[RuleId, number]>) {
      if (on(rule) && amount >= (s.rules[rule].threshold ?? Infinity)) hits.push(hit(s, rule, { amount }));
    }
    for (const [rule, kind, extra] of [
      ['topup.after_new_device', 'login', `AND (flags->>'deviceChange')::boolean`],
      ['topup.after_password_reset', 'password_reset', ''],
    ] as Array<[RuleId, string, string]>) {
      if (!on(rule)) continue;
      const [trigger] = await q.rows<{ occurred_at: Date }>(
        `SELECT occurred_at FROM fraud_observations
          WHERE sandbox_id = $1 AND wallet_id = $2 AND kind = $3 ${extra} AND occurred_at > $4 AND occurred_at <= $5
          ORDER BY occurred_at DESC LIMIT 1`,
        [sandboxId, o.walletId, kind, before(o.at, s.rules[rule].windowMinutes), o.at],
      );
      if (!trigger) continue;
      const [earlier] = await q.rows<{ n: string }>(
        `SELECT count(*) AS n FROM fraud_observations
          WHERE sandbox_id = $1 AND wallet_id = $2 AND kind = 'topup_requested' AND occurred_at >= $3 AND occurred_at <= $4 AND event_id <> $5`,
        [sandboxId, o.walletId, trigger.occurred_at, o.at, o.eventId],
      );
      if (Number(earlier.n) === 0) hits.push(hit(s, rule, { since: trigger.occurred_at.toISOString() }));
    }
    const cardId = o.flags.cardId as string | null;
    const newCard = s.rules['topup.new_card_max'];
    if (on('topup.new_card_max') && o.channel === 'card' && cardId && (o.amount ?? 0) >= (newCard.threshold ?? Infinity)) {
      const [added] = await q.rows(
        `SELECT 1 FROM fraud_observations WHERE sandbox_id = $1 AND kind = 'card_added' AND ref_id = $2 AND occurred_at > $3 AND occurred_at <= $4::timestamptz`,
        [sandboxId, cardId, before(o.at, newCard.windowMinutes), o.at],
      );
      if (added) hits.push(hit(s, 'topup.new_card_max', { cardId, amount: o.amount }));
    }
    return hits;
  }

  /**
   * Scores a payment. What the rules need from the wallet's history comes
   * back in one statement: every payment is observed, so this is the fraud
   * module's hottest path.
   */
  async payment(q: Queryable, sandboxId: string, o: Observation, s: FraudSettings): Promise<{ hits: Hit[]; sessionRisk: number }> {
    const hits: Hit[] = [];
    const on = (rule: RuleId) => s.rules[rule].enabled;
    const velocity = s.rules['payment.velocity'];
    const drain = s.rules['payment.drain_after_topup'];
    const [facts] = await q.rows<{
      payments: string;
      topped_up: boolean;
      previous_store: string | null;
      previous_at: Date | null;
      session: number | null;
    }>(
      `SELECT
         (SELECT count(*) FROM fraud_observations WHERE sandbox_id = $1 AND wallet_id = $2 AND kind = 'payment' AND occurred_at > $4 AND occurred_at <= $3) AS payments,
         EXISTS (SELECT 1 FROM fraud_observations WHERE sandbox_id = $1 AND wallet_id = $2 AND kind = 'topup_succeeded' AND occurred_at > $5 AND occurred_at <= $3) AS topped_up,
         p.store_id AS previous_store, p.occurred_at AS previous_at,
         (SELECT max(score) FROM fraud_observations WHERE sandbox_id = $1 AND wallet_id = $2 AND kind = 'login' AND occurred_at > $6 AND occurred_at <= $3) AS session
       FROM (SELECT 1) one
       LEFT JOIN LATERAL (
         SELECT store_id, occurred_at FROM fraud_observations
          WHERE sandbox_id = $1 AND wallet_id = $2 AND kind = 'payment' AND occurred_at <= $3 AND event_id <> $7 AND store_id <> $8
          ORDER BY occurred_at DESC LIMIT 1) p ON true`,
      [
        sandboxId,
        o.walletId,
        o.at,
        before(o.at, velocity.windowMinutes),
        before(o.at, drain.windowMinutes),
        before(o.at, s.sessionRiskMinutes),
        o.eventId,
        o.storeId ?? '',
      ],
    );
    const payments = Number(facts.payments);
    if (on('payment.velocity') && payments > (velocity.threshold ?? Infinity)) hits.push(hit(s, 'payment.velocity', { payments }));
    const balanceAfter = o.flags.walletBalance;
    if (on('payment.drain_after_topup') && typeof balanceAfter === 'number' && o.amount && facts.topped_up) {
      const share = (o.amount / (balanceAfter + o.amount)) * 100;
      if (share >= (drain.threshold ?? Infinity))
        hits.push(hit(s, 'payment.drain_after_topup', { share: Math.round(share), balanceBefore: balanceAfter + o.amount }));
    }
    if (on('payment.impossible_travel') && o.storeId && facts.previous_store && facts.previous_at) {
      const travel = await this.travel(q, sandboxId, o, facts.previous_store, facts.previous_at);
      if (travel && travel.km > 30 && travel.kmPerHour > (s.rules['payment.impossible_travel'].threshold ?? Infinity)) {
        const { km, minutes, kmPerHour } = travel;
        hits.push(
          hit(s, 'payment.impossible_travel', { km: Math.round(km), minutes: Math.round(minutes), kmPerHour: Math.round(kmPerHour) }),
        );
      }
    }
    const risky = s.rules['payment.high_risk_category'];
    if (on('payment.high_risk_category') && o.category && (risky.categories ?? []).includes(o.category)) {
      hits.push(hit(s, 'payment.high_risk_category', { category: o.category }));
    }
    return { hits, sessionRisk: facts.session ?? 0 };
  }

  /** Distance and speed between this payment's store and the wallet's previous one. */
  private async travel(q: Queryable, sandboxId: string, o: Observation, previousStore: string, previousAt: Date) {
    const [here, there] = await Promise.all([this.location(q, sandboxId, o.storeId as string), this.location(q, sandboxId, previousStore)]);
    if (!here || !there) return null;
    const km = distanceKm(here, there);
    const hours = Math.max((o.at.getTime() - previousAt.getTime()) / 3_600_000, 1 / 60);
    return { km, minutes: hours * 60, kmPerHour: km / hours };
  }

  /** The riskiest sign-in of the wallet in the last minutes: what its actions inherit. */
  async sessionRisk(q: Queryable, sandboxId: string, walletId: string | null, at: Date, s: FraudSettings): Promise<number> {
    if (!walletId) return 0;
    const [row] = await q.rows<{ score: number | null }>(
      `SELECT max(score) AS score FROM fraud_observations WHERE sandbox_id = $1 AND wallet_id = $2 AND kind = 'login' AND occurred_at > $3 AND occurred_at <= $4::timestamptz`,
      [sandboxId, walletId, before(at, s.sessionRiskMinutes), at],
    );
    return row.score ?? 0;
  }

  private async location(q: Queryable, sandboxId: string, storeId: string) {
    return (await this.stores.find(q, sandboxId, storeId))?.location ?? null;
  }
}

function hit(s: FraudSettings, rule: RuleId, inputs: Record<string, unknown>): Hit {
  return { rule, score: s.rules[rule].score, inputs };
}

function before(at: Date, minutes: number | undefined): Date {
  return new Date(at.getTime() - (minutes ?? 0) * MINUTE);
}
