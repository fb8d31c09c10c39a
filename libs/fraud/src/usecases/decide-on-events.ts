import { Injectable } from '@nestjs/common';
import { Database, type EventJob, Outbox, type SandboxContext, type Tx, newId } from '#core';
import { RiskEngine } from '../engine.js';
import { type Observation, observationOf } from '../observations.js';
import { ObservationsRepository } from '../observations.repository.js';
import { RuleHitsRepository } from '../rule-hits.repository.js';
import { type FraudSettings, type Hit, countryOf, decide } from '../rules.js';
import { ScreeningsRepository } from '../screenings.repository.js';
import { FraudSettingsStore } from '../settings.js';
import { PlaceHold } from './place-hold.js';
import { RaiseAlert } from './raise-alert.js';

/** The observations acted on as they arrive (see onEvent); every other kind is only remembered for the rules. */
const SCORED_KINDS: ReadonlySet<string> = new Set(['login', 'payment', 'login_failed', 'store_invalid_codes']);

/**
 * What the fraud module does with each event it hears: remember it, score
 * it against the rules, record every hit with its inputs, and act: screen a
 * top-up (approve, hold, decline), hold a wallet, or demand a fresh second
 * factor. A redelivered event changes nothing: its observation already exists.
 */
@Injectable()
export class FraudDecisions {
  constructor(
    private readonly db: Database,
    private readonly observations: ObservationsRepository,
    private readonly engine: RiskEngine,
    private readonly placeHold: PlaceHold,
    private readonly alerts: RaiseAlert,
    private readonly settings: FraudSettingsStore,
    private readonly outbox: Outbox,
    private readonly ruleHits: RuleHitsRepository,
    private readonly screenings: ScreeningsRepository,
  ) {}

  async onEvent(sandbox: SandboxContext, event: EventJob): Promise<void> {
    const o = observationOf(event);
    // A card added, a top-up settled, a refund or a reset only join the history: one statement, no transaction.
    if (!SCORED_KINDS.has(o.kind)) {
      await this.observations.record(this.db, sandbox.id, o);
      return;
    }
    const s = await this.settings.get(sandbox.id);
    if (o.kind === 'login') o.flags.country = countryOf(o.ip, s.domesticNetworks);
    await this.db.transaction(async (tx) => {
      if (o.kind === 'login_failed' && o.ip) await this.observations.lockFailuresFrom(tx, sandbox.id, o.ip);
      // A new device counts as a change of device only once the account has signed in before.
      if (o.kind === 'login')
        o.flags.deviceChange = o.flags.newDevice === true && (await this.observations.hasSignedInBefore(tx, sandbox.id, o));
      if (!(await this.observations.record(tx, sandbox.id, o))) return;
      if (o.kind === 'login') await this.afterLogin(tx, sandbox, o, s);
      if (o.kind === 'payment') await this.afterPayment(tx, sandbox, o, s);
      if (o.kind === 'login_failed') await this.afterLoginFailure(tx, sandbox, o, s);
      if (o.kind === 'store_invalid_codes') await this.afterStoreInvalidCodes(tx, sandbox, o, s);
    });
  }

  /** Screens a requested top-up; the decision travels back to the top-up module as `fraud.topup_screened`. */
  async screenTopup(sandbox: SandboxContext, event: EventJob<'topup.requested'>): Promise<void> {
    const s = await this.settings.get(sandbox.id);
    const o = observationOf(event);
    await this.db.transaction(async (tx) => {
      if (!(await this.observations.record(tx, sandbox.id, o))) return;
      const { hits, sessionRisk, openHold } = await this.engine.topup(tx, sandbox.id, o, s);
      const score = total(hits) + sessionRisk;
      const verdict = openHold ? 'hold_for_review' : decide(score, s, hits);
      const decision = verdict === 'decline' ? 'decline' : verdict === 'hold_for_review' ? 'hold' : 'approve';
      const reasons = [
        ...hits.map((h) => h.rule),
        ...(sessionRisk > 0 ? [`session_risk:${sessionRisk}`] : []),
        ...(openHold ? [`wallet_on_hold:${openHold}`] : []),
      ];
      await this.ruleHits.record(tx, sandbox.id, o, { type: 'topup', id: event.data.topupId }, hits);
      if (decision === 'hold') {
        await this.placeHold.byRules(
          tx,
          sandbox,
          {
            eventId: o.eventId,
            walletId: o.walletId as string,
            userId: o.userId,
            reason: 'risky top-up',
            score,
            hits,
            windowStart: await this.windowStart(tx, sandbox.id, o),
            topupId: event.data.topupId,
          },
          s.holdExpiryHours,
        );
      }
      const screeningId = newId('scr');
      await this.screenings.insert(tx, {
        sandboxId: sandbox.id,
        id: screeningId,
        topupId: event.data.topupId,
        decision,
        score,
        reasons,
        inputs: { ...event.data, sessionRisk },
        at: o.at,
      });
      await this.outbox.emit(tx, sandbox, 'fraud.topup_screened', { ...event.data, decision, screeningId, reasons });
    });
  }

  /**
   * The screening of a top-up failed on every attempt. The top-up is not
   * funded unscreened: on this event the top-up module fails it closed.
   */
  async screeningFailed(sandbox: SandboxContext, event: EventJob<'topup.requested'>): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.outbox.emit(tx, sandbox, 'fraud.topup_screening_failed', event.data);
    });
  }

  private async afterLogin(tx: Tx, sandbox: SandboxContext, o: Observation, s: FraudSettings): Promise<void> {
    const hits = await this.engine.login(tx, sandbox.id, o, s);
    const score = total(hits);
    await this.observations.setScore(tx, sandbox.id, o.eventId, score);
    await this.ruleHits.record(tx, sandbox.id, o, { type: 'login', id: o.userId ?? o.eventId }, hits);
    const verdict = decide(score, s, hits);
    if ((verdict === 'hold_for_review' || verdict === 'decline') && o.walletId) {
      await this.placeHold.byRules(
        tx,
        sandbox,
        { eventId: o.eventId, walletId: o.walletId, userId: o.userId, reason: 'risky sign-in', score, hits, windowStart: o.at },
        s.holdExpiryHours,
      );
    } else if (verdict === 'step_up' && o.userId) {
      await this.outbox.emit(tx, sandbox, 'fraud.step_up_demanded', {
        userId: o.userId,
        walletId: o.walletId,
        score,
        rules: hits.map((h) => h.rule),
      });
    }
  }

  /** A captured payment cannot be refused any more; a risky one stops the wallet from paying again. */
  private async afterPayment(tx: Tx, sandbox: SandboxContext, o: Observation, s: FraudSettings): Promise<void> {
    const { hits, sessionRisk } = await this.engine.payment(tx, sandbox.id, o, s);
    const score = total(hits) + sessionRisk;
    await this.ruleHits.record(tx, sandbox.id, o, { type: 'payment', id: o.refId as string }, hits);
    const verdict = decide(score, s, hits);
    if ((verdict === 'hold_for_review' || verdict === 'decline') && o.walletId) {
      await this.placeHold.byRules(
        tx,
        sandbox,
        {
          eventId: o.eventId,
          walletId: o.walletId,
          userId: o.userId,
          reason: 'risky payments',
          score,
          hits,
          windowStart: await this.windowStart(tx, sandbox.id, o),
        },
        s.holdExpiryHours,
      );
    }
  }

  /** The failure wave itself raises the alarm on its IP; its next sign-in scores the same rule. */
  private async afterLoginFailure(tx: Tx, sandbox: SandboxContext, o: Observation, s: FraudSettings): Promise<void> {
    const burst = await this.engine.ipFailureBurst(tx, sandbox.id, o, s);
    if (burst && o.ip) await this.alerts.raise(tx, sandbox, o, { type: 'ip', id: o.ip }, burst, s.rules[burst.rule].windowMinutes);
  }

  /** A store is not a wallet: nothing to hold, so its register guessing codes is an alert. */
  private async afterStoreInvalidCodes(tx: Tx, sandbox: SandboxContext, o: Observation, s: FraudSettings): Promise<void> {
    const guessing = await this.engine.storeInvalidCodes(tx, sandbox.id, o, s);
    if (guessing && o.storeId)
      await this.alerts.raise(tx, sandbox, o, { type: 'store', id: o.storeId }, guessing, s.rules[guessing.rule].windowMinutes);
  }

  /** Where a case begins: the wallet's earliest sign-in of the last day that scored any risk, else this event. */
  private async windowStart(tx: Tx, sandboxId: string, o: Observation): Promise<Date> {
    return (await this.observations.earliestRiskySignInOfDay(tx, sandboxId, o.walletId, o.at)) ?? o.at;
  }
}

function total(hits: Hit[]): number {
  return hits.reduce((sum, h) => sum + h.score, 0);
}
