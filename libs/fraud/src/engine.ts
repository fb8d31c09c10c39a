import { Injectable } from '@nestjs/common';
import type { Queryable } from '#core';
import { Stores } from '#capture';
import type { Observation } from './observations.js';
import { ObservationsRepository } from './observations.repository.js';
import { type FraudSettings, type Hit, type RuleId, countryOf, distanceKm } from './rules.js';

const MINUTE = 60_000;

/**
 * The rules. Each looks at the observations around one event, measured from
 * the event's own sandbox time, so a replay scores exactly as live traffic did.
 */
@Injectable()
export class RiskEngine {
  constructor(
    private readonly stores: Stores,
    private readonly observations: ObservationsRepository,
  ) {}

  async login(q: Queryable, sandboxId: string, o: Observation, s: FraudSettings): Promise<Hit[]> {
    const hits: Hit[] = [];
    const on = (rule: RuleId) => s.rules[rule].enabled;
    const country = countryOf(o.ip, s.domesticNetworks);
    if (on('login.new_device') && o.flags.deviceChange === true) hits.push(hit(s, 'login.new_device', { deviceId: o.refId }));
    if (on('login.overseas_ip') && country === 'overseas') hits.push(hit(s, 'login.overseas_ip', { ip: o.ip }));
    if (on('login.new_country') && o.userId) {
      const earlier = await this.observations.signInsByCountry(q, sandboxId, o.userId, o.at, country);
      if (earlier.total > 0 && earlier.fromCountry === 0) hits.push(hit(s, 'login.new_country', { country, earlierLogins: earlier.total }));
    }
    const burst = await this.ipFailureBurst(q, sandboxId, o, s);
    if (burst) hits.push(burst);
    if (on('device.shared') && o.deviceHash) {
      const rule = s.rules['device.shared'];
      const accounts = await this.observations.accountsOnDevice(q, sandboxId, o.deviceHash, before(o.at, rule.windowMinutes), o.at);
      if (accounts >= (rule.threshold ?? 0)) hits.push(hit(s, 'device.shared', { accounts }));
    }
    return hits;
  }

  /**
   * The event's IP failed to sign in to many accounts lately: scored on its next sign-in (failures before it),
   * an alert on the failure itself (a window around it, as its wave's later failures may be observed first).
   */
  async ipFailureBurst(q: Queryable, sandboxId: string, o: Observation, s: FraudSettings): Promise<Hit | null> {
    const rule = s.rules['login.ip_failure_burst'];
    if (!rule.enabled || !o.ip) return null;
    const failedAccounts =
      o.kind === 'login_failed'
        ? await this.observations.failedAccountsAroundIp(q, sandboxId, o.ip, o.at, rule.windowMinutes ?? 0)
        : await this.observations.failedAccountsFromIp(q, sandboxId, o.ip, before(o.at, rule.windowMinutes), o.at);
    return failedAccounts >= (rule.threshold ?? 0) ? hit(s, 'login.ip_failure_burst', { ip: o.ip, failedAccounts }) : null;
  }

  /** A store's registers were blocked for guessing payment codes, as often as the rule's threshold within its window. */
  async storeInvalidCodes(q: Queryable, sandboxId: string, o: Observation, s: FraudSettings): Promise<Hit | null> {
    const rule = s.rules['store.invalid_codes'];
    if (!rule.enabled || !o.storeId) return null;
    const blocks = await this.observations.storeInvalidCodeBlocks(q, sandboxId, o.storeId, before(o.at, rule.windowMinutes), o.at);
    return blocks >= (rule.threshold ?? 0) ? hit(s, 'store.invalid_codes', { keyId: o.refId, ...o.flags, blocks }) : null;
  }

  /** Scores a requested top-up from one read of the wallet's history, which brings the wallet's open hold along. */
  async topup(
    q: Queryable,
    sandboxId: string,
    o: Observation,
    s: FraudSettings,
  ): Promise<{ hits: Hit[]; sessionRisk: number; openHold: string | null }> {
    const hits: Hit[] = [];
    const on = (rule: RuleId) => s.rules[rule].enabled;
    const newCard = s.rules['topup.new_card_max'];
    const cardId = o.channel === 'card' ? ((o.flags.cardId as string | null) ?? null) : null;
    // The read brings every rule's facts, enabled or not: one statement costs no more, and a disabled rule's are ignored.
    const facts = await this.observations.topupHistory(
      q,
      sandboxId,
      o,
      {
        newDevice: before(o.at, s.rules['topup.after_new_device'].windowMinutes),
        passwordReset: before(o.at, s.rules['topup.after_password_reset'].windowMinutes),
        newCard: before(o.at, newCard.windowMinutes),
        session: before(o.at, s.sessionRiskMinutes),
      },
      cardId,
    );
    const v = facts.velocity;
    for (const [rule, count] of [
      ['topup.velocity_minute', v.minute],
      ['topup.velocity_hour', v.hour],
      ['topup.velocity_day', v.day],
    ] as Array<[RuleId, number]>) {
      if (on(rule) && count > (s.rules[rule].threshold ?? Infinity)) hits.push(hit(s, rule, { topups: count }));
    }
    for (const [rule, amount] of [
      ['topup.amount_minute', v.amountMinute],
      ['topup.amount_hour', v.amountHour],
      ['topup.amount_day', v.amountDay],
    ] as Array<[RuleId, number]>) {
      if (on(rule) && amount >= (s.rules[rule].threshold ?? Infinity)) hits.push(hit(s, rule, { amount }));
    }
    for (const [rule, since, topupsSince] of [
      ['topup.after_new_device', facts.newDeviceSignAt, facts.topupsSinceNewDevice],
      ['topup.after_password_reset', facts.passwordResetAt, facts.topupsSincePasswordReset],
    ] as Array<[RuleId, Date | null, number]>) {
      // Only the first top-up after the sign counts.
      if (on(rule) && since && topupsSince === 0) hits.push(hit(s, rule, { since: since.toISOString() }));
    }
    if (on('topup.new_card_max') && facts.cardAdded && (o.amount ?? 0) >= (newCard.threshold ?? Infinity))
      hits.push(hit(s, 'topup.new_card_max', { cardId, amount: o.amount }));
    return { hits, sessionRisk: facts.session ?? 0, openHold: facts.openHold };
  }

  /** Scores a payment from one read of the wallet's history: every payment is observed, so this is the hottest path. */
  async payment(q: Queryable, sandboxId: string, o: Observation, s: FraudSettings): Promise<{ hits: Hit[]; sessionRisk: number }> {
    const hits: Hit[] = [];
    const on = (rule: RuleId) => s.rules[rule].enabled;
    const velocity = s.rules['payment.velocity'];
    const drain = s.rules['payment.drain_after_topup'];
    const facts = await this.observations.paymentHistory(q, sandboxId, o, {
      velocity: before(o.at, velocity.windowMinutes),
      drain: before(o.at, drain.windowMinutes),
      session: before(o.at, s.sessionRiskMinutes),
    });
    const { payments } = facts;
    if (on('payment.velocity') && payments > (velocity.threshold ?? Infinity)) hits.push(hit(s, 'payment.velocity', { payments }));
    const balanceAfter = o.flags.walletBalance;
    if (on('payment.drain_after_topup') && typeof balanceAfter === 'number' && o.amount && facts.toppedUp) {
      const share = (o.amount / (balanceAfter + o.amount)) * 100;
      if (share >= (drain.threshold ?? Infinity))
        hits.push(hit(s, 'payment.drain_after_topup', { share: Math.round(share), balanceBefore: balanceAfter + o.amount }));
    }
    if (on('payment.impossible_travel') && o.storeId && facts.previousStore && facts.previousAt) {
      const travel = await this.travel(q, sandboxId, o, facts.previousStore, facts.previousAt);
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
