import { Injectable } from '@nestjs/common';
import { Database, DomainError, Outbox, type SandboxContext, type Tx, newId } from '#core';
import { LedgerService } from '#ledger';
import type { Hold, HoldTrigger } from '../holds.js';
import { HoldsRepository } from '../holds.repository.js';
import { ObservationsRepository } from '../observations.repository.js';
import { FraudSettingsStore } from '../settings.js';
import { ReadHolds } from './read-holds.js';

/** How far back an operator's hold looks for the sign-in where a takeover began, when not told. */
const REPORTED_TAKEOVER_LOOKBACK_DAYS = 7;

/**
 * Holds a wallet: the rules do when an event scores too high, an operator
 * when a customer reports a takeover. Each hold is audited and announced;
 * the ledger, top-up and identity modules act on the announcement.
 */
@Injectable()
export class PlaceHold {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly ledger: LedgerService,
    private readonly holds: HoldsRepository,
    private readonly observations: ObservationsRepository,
    private readonly reads: ReadHolds,
    private readonly settings: FraudSettingsStore,
  ) {}

  /**
   * An operator holds a wallet the rules did not (a customer reported a
   * takeover): the same hold, reviewed the same way. The case reaches back
   * to `since`, else to the wallet's earliest risky sign-in of the week
   * before, else to now.
   */
  async byOperator(sandbox: SandboxContext, input: { walletId: string; reason: string; since?: Date }, actor: string): Promise<Hold> {
    const { holdExpiryHours } = await this.settings.get(sandbox.id);
    if (!(await this.ledger.accountExists(this.db, sandbox.id, input.walletId, 'wallet')))
      throw DomainError.notFound('wallet', input.walletId);
    const holdId = await this.db.transaction(async (tx) => {
      const now = sandbox.time.now();
      const seen = await this.observations.walletUserAndRiskySince(tx, sandbox.id, input.walletId, now, REPORTED_TAKEOVER_LOOKBACK_DAYS);
      const trigger = {
        eventId: null,
        walletId: input.walletId,
        userId: seen.userId,
        reason: input.reason,
        score: 0,
        hits: [],
        windowStart: input.since ?? seen.riskySince ?? now,
      };
      const { holdId: id, placed } = await this.placeOrJoin(tx, sandbox, trigger, holdExpiryHours, actor);
      if (!placed) throw new DomainError('hold_exists', 'The wallet is already on hold: review that hold', { holdId: id });
      return id;
    });
    return this.reads.get(sandbox.id, holdId);
  }

  /** The rules hold the wallet, or join its open hold; a held top-up is kept by the hold either way. */
  async byRules(tx: Tx, sandbox: SandboxContext, trigger: HoldTrigger, expiryHours: number): Promise<string> {
    return (await this.placeOrJoin(tx, sandbox, trigger, expiryHours, 'rules')).holdId;
  }

  /** One open hold per wallet: of two placed at the same moment, one inserts and the other joins it. */
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
    const inserted = await this.holds.insertOpen(tx, {
      sandboxId: sandbox.id,
      id: candidate,
      walletId: trigger.walletId,
      userId: trigger.userId,
      reason: trigger.reason,
      score: trigger.score,
      rules,
      triggerEventId: trigger.eventId ?? candidate,
      windowStart: trigger.windowStart,
      createdAt: now,
      expiresAt: new Date(now.getTime() + expiryHours * 3_600_000),
    });
    let holdId = inserted;
    if (holdId) {
      const note = rules.length > 0 ? `${trigger.reason} (score ${trigger.score}: ${rules.join(', ')})` : trigger.reason;
      await this.holds.audit(tx, sandbox.id, holdId, { at: now, actor: placedBy, action: 'placed', note });
      await this.outbox.emit(tx, sandbox, 'hold.placed', {
        holdId,
        walletId: trigger.walletId,
        userId: trigger.userId,
        reason: trigger.reason,
        score: trigger.score,
        rules,
      });
    } else {
      // Waits for the transaction that placed the open hold, so a top-up joins a hold that exists.
      holdId = await this.holds.findOpenOfWallet(tx, sandbox.id, trigger.walletId, true);
      if (!holdId) throw new Error(`the open hold of wallet ${trigger.walletId} vanished while joining it`);
    }
    if (trigger.topupId) await this.holds.keepTopup(tx, sandbox.id, holdId, trigger.topupId);
    return { holdId, placed: inserted !== null };
  }
}
