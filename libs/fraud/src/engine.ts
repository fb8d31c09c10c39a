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
    if (on('login.ip_failure_burst') && o.ip) {
      const rule = s.rules['login.ip_failure_burst'];
      const [row] = await q.rows<{ accounts: string }>(
        `SELECT count(DISTINCT account_key) AS accounts FROM fraud_observations
          WHERE sandbox_id = $1 AND ip = $2 AND kind = 'login_failed' AND occurred_at > $3 AND occurred_at <= $4::timestamptz`,
        [sandboxId, o.ip, before(o.at, rule.windowMinutes), o.at],
      );
      if (Number(row.accounts) >= (rule.threshold ?? 0))
        hits.push(hit(s, 'login.ip_failure_burst', { ip: o.ip, failedAccounts: Number(row.accounts) }));
    }
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

  async topup(q: Queryable, sandboxId: string, o: Observation, s: FraudSettings): Promise<Hit[]> {
    const hits: Hit[] = [];
    const on = (rule: RuleId) => s.rules[rule].enabled;
    const [v] = await q.rows<{ minute: string; hour: string; day: string; amount: string | null }>(
      `SELECT count(*) FILTER (WHERE occurred_at > $3::timestamptz - interval '1 minute') AS minute,
              count(*) FILTER (WHERE occurred_at > $3::timestamptz - interval '1 hour') AS hour,
              count(*) AS day, sum(amount) AS amount
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
    if (on('topup.amount_day') && Number(v.amount ?? 0) >= (s.rules['topup.amount_day'].threshold ?? Infinity)) {
      hits.push(hit(s, 'topup.amount_day', { amount: Number(v.amount) }));
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

  async payment(q: Queryable, sandboxId: string, o: Observation, s: FraudSettings): Promise<Hit[]> {
    const hits: Hit[] = [];
    const on = (rule: RuleId) => s.rules[rule].enabled;
    const velocity = s.rules['payment.velocity'];
    if (on('payment.velocity')) {
      const [row] = await q.rows<{ n: string }>(
        `SELECT count(*) AS n FROM fraud_observations WHERE sandbox_id = $1 AND wallet_id = $2 AND kind = 'payment' AND occurred_at > $3 AND occurred_at <= $4::timestamptz`,
        [sandboxId, o.walletId, before(o.at, velocity.windowMinutes), o.at],
      );
      if (Number(row.n) > (velocity.threshold ?? Infinity)) hits.push(hit(s, 'payment.velocity', { payments: Number(row.n) }));
    }
    const drain = s.rules['payment.drain_after_topup'];
    const balanceAfter = o.flags.walletBalance;
    if (on('payment.drain_after_topup') && typeof balanceAfter === 'number' && o.amount) {
      const share = (o.amount / (balanceAfter + o.amount)) * 100;
      if (share >= (drain.threshold ?? Infinity)) {
        const [topup] = await q.rows(
          `SELECT 1 FROM fraud_observations WHERE sandbox_id = $1 AND wallet_id = $2 AND kind = 'topup_succeeded' AND occurred_at > $3 AND occurred_at <= $4 LIMIT 1`,
          [sandboxId, o.walletId, before(o.at, drain.windowMinutes), o.at],
        );
        if (topup) hits.push(hit(s, 'payment.drain_after_topup', { share: Math.round(share), balanceBefore: balanceAfter + o.amount }));
      }
    }
    if (on('payment.impossible_travel') && o.storeId) {
      const [previous] = await q.rows<{ store_id: string; occurred_at: Date }>(
        `SELECT store_id, occurred_at FROM fraud_observations
          WHERE sandbox_id = $1 AND wallet_id = $2 AND kind = 'payment' AND occurred_at <= $3 AND event_id <> $4 AND store_id <> $5
          ORDER BY occurred_at DESC LIMIT 1`,
        [sandboxId, o.walletId, o.at, o.eventId, o.storeId],
      );
      if (previous) {
        const [here, there] = await Promise.all([this.location(q, sandboxId, o.storeId), this.location(q, sandboxId, previous.store_id)]);
        if (here && there) {
          const km = distanceKm(here, there);
          const hours = Math.max((o.at.getTime() - previous.occurred_at.getTime()) / 3_600_000, 1 / 60);
          const speed = km / hours;
          if (km > 30 && speed > (s.rules['payment.impossible_travel'].threshold ?? Infinity)) {
            hits.push(
              hit(s, 'payment.impossible_travel', { km: Math.round(km), minutes: Math.round(hours * 60), kmPerHour: Math.round(speed) }),
            );
          }
        }
      }
    }
    const risky = s.rules['payment.high_risk_category'];
    if (on('payment.high_risk_category') && o.category && (risky.categories ?? []).includes(o.category)) {
      hits.push(hit(s, 'payment.high_risk_category', { category: o.category }));
    }
    return hits;
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
    return (await this.stores.get(q, sandboxId, storeId).catch(() => null))?.location ?? null;
  }
}

function hit(s: FraudSettings, rule: RuleId, inputs: Record<string, unknown>): Hit {
  return { rule, score: s.rules[rule].score, inputs };
}

function before(at: Date, minutes: number | undefined): Date {
  return new Date(at.getTime() - (minutes ?? 0) * MINUTE);
}
