import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  type ClientFacts,
  Database,
  DomainError,
  OutboxSignal,
  RequestContext,
  type SandboxContext,
  ServicePolicy,
  type StorePrincipal,
  type TopupChannel,
  type Tx,
  type UserPrincipal,
  newId,
  sha256Hex,
} from '#core';
import { PaymentCodeRedemption } from '#barcode';
import { LedgerService } from '#ledger';
import { StepUp } from '#identity';
import { AtmCodesRepository } from '../atm-codes.repository.js';
import { FundingSourcesRepository } from '../funding-sources.repository.js';
import { type TopupLimits, checkChannelAmount, japanDay, limitExceeded } from '../limits.js';
import { PointsRepository } from '../points.repository.js';
import { TopupSettingsStore } from '../settings.js';
import { type Topup, TopupsRepository } from '../topups.repository.js';

/** An ATM deposit code works for 30 minutes of sandbox time; then the expiry sweep fails its top-up. */
const ATM_CODE_SECONDS = 30 * 60;

interface NewTopup {
  sandbox: SandboxContext;
  walletId: string;
  userId: string | null;
  channel: TopupChannel;
  amount: number;
  cardId?: string;
  bankAccountId?: string;
  storeId?: string;
  nextAction?: object;
  /** Sandbox time of the request, when a deadline was already measured from it. */
  at?: Date;
}

/**
 * Starts top-ups on every channel. Each request reserves its amount against
 * the wallet's daily cap and maximum balance in the same transaction that
 * records it, so concurrent requests cannot overshoot; the pipeline (screen,
 * fund, settle) then runs on the queues.
 */
@Injectable()
export class RequestTopup {
  constructor(
    private readonly db: Database,
    private readonly topups: TopupsRepository,
    private readonly settings: TopupSettingsStore,
    private readonly ledger: LedgerService,
    private readonly signal: OutboxSignal,
    private readonly policy: ServicePolicy,
    private readonly stepUp: StepUp,
    private readonly sources: FundingSourcesRepository,
    private readonly atmCodes: AtmCodesRepository,
    private readonly points: PointsRepository,
    private readonly paymentCodes: PaymentCodeRedemption,
  ) {}

  /** The customer's own top-up: card and bank debit need a recent second factor; ATM returns a deposit code. */
  async request(
    me: UserPrincipal,
    input: { amount: number; channel: TopupChannel; cardId?: string; bankAccountId?: string },
    client: ClientFacts,
  ): Promise<Topup> {
    if (input.channel === 'register_cash') {
      throw DomainError.invalid([
        { field: 'channel', message: 'register_cash top-ups start at the register: show your payment code and hand over the cash' },
      ]);
    }
    if (input.channel === 'card' && !input.cardId)
      throw DomainError.invalid([{ field: 'cardId', message: 'is required for card top-ups' }]);
    if (input.channel === 'bank_debit' && !input.bankAccountId)
      throw DomainError.invalid([{ field: 'bankAccountId', message: 'is required for bank debit top-ups' }]);
    if (input.channel !== 'card' && input.cardId) throw DomainError.invalid([{ field: 'cardId', message: 'only goes with card top-ups' }]);
    if (input.channel !== 'bank_debit' && input.bankAccountId)
      throw DomainError.invalid([{ field: 'bankAccountId', message: 'only goes with bank debit top-ups' }]);
    await this.policy.assertOpen(me.sandbox, `topup.${input.channel}`);
    await this.ledger.assertNotOnHold(this.db, me.sandbox.id, me.walletId);
    const { limits } = await this.settings.get(me.sandbox.id);
    checkChannelAmount(limits, input.channel, input.amount);
    await this.assertOwnSource(me, input);
    if (input.channel === 'card' || input.channel === 'bank_debit') await this.stepUp.require(me, client);

    const base = {
      sandbox: me.sandbox,
      walletId: me.walletId,
      userId: me.userId,
      channel: input.channel,
      amount: input.amount,
      cardId: input.cardId,
      bankAccountId: input.bankAccountId,
    };
    // A card or bank debit top-up is one statement; points are spent and a deposit code kept in the same transaction.
    if (input.channel === 'card' || input.channel === 'bank_debit') return this.record(this.db, base, limits, true);
    return this.db.transaction(async (tx) => {
      if (input.channel === 'points') {
        await this.spendPoints(tx, me, input.amount);
        return this.record(tx, base, limits, true);
      }
      const depositCode = String(randomInt(10 ** 11, 10 ** 12));
      // The code lapses 30 minutes after the top-up's own createdAt, to the millisecond.
      const at = me.sandbox.time.now();
      const expiresAt = new Date(at.getTime() + ATM_CODE_SECONDS * 1000);
      const topup = await this.record(
        tx,
        { ...base, at, nextAction: { type: 'atm_deposit', depositCode, expiresAt: expiresAt.toISOString() } },
        limits,
        false,
      );
      await this.atmCodes.insert(tx, { sandboxId: me.sandbox.id, codeHash: sha256Hex(depositCode), topupId: topup.id, expiresAt });
      return topup;
    });
  }

  /** The register scans the customer's payment code and takes the cash. */
  async registerCash(store: StorePrincipal, input: { code: string; amount: number }): Promise<Topup> {
    await this.policy.assertOpen(store.sandbox, 'topup.register_cash');
    const { limits } = await this.settings.get(store.sandbox.id);
    checkChannelAmount(limits, 'register_cash', input.amount);
    return this.db.transaction(async (tx) => {
      const now = store.sandbox.time.now();
      const code = await this.paymentCodes.take(tx, store.sandbox.id, input.code, now);
      await this.ledger.assertNotOnHold(tx, store.sandbox.id, code.walletId);
      const topup = await this.record(
        tx,
        {
          sandbox: store.sandbox,
          walletId: code.walletId,
          userId: code.userId,
          channel: 'register_cash',
          amount: input.amount,
          storeId: store.storeId,
        },
        limits,
        true,
      );
      await this.paymentCodes.use(tx, store.sandbox.id, code.codeId, now, topup.id);
      return topup;
    });
  }

  /** Records a pending top-up after reserving it against the daily cap and the maximum balance; `ready` ones are screened next. */
  private async record(q: Database | Tx, t: NewTopup, limits: TopupLimits, ready: boolean): Promise<Topup> {
    const at = t.at ?? t.sandbox.time.now();
    const topup = await this.topups.request(q, {
      ...t,
      sandboxId: t.sandbox.id,
      id: newId('top'),
      usageDay: japanDay(at),
      at,
      dailyCap: limits.dailyCap,
      maxBalance: limits.maxBalance,
      event: ready ? { id: newId('evt'), requestId: RequestContext.requestId() } : null,
    });
    if (topup === 'daily_cap') {
      throw limitExceeded('daily_cap', limits.dailyCap, `Top-ups may total at most ¥${limits.dailyCap.toLocaleString('en')} per day`);
    }
    if (topup === 'max_balance') {
      throw limitExceeded('max_balance', limits.maxBalance, `A wallet may hold at most ¥${limits.maxBalance.toLocaleString('en')}`);
    }
    if (ready) q.afterCommit(() => this.signal.wake());
    return topup;
  }

  /** The card (not removed) or the bank account to draw on is the customer's own. */
  private async assertOwnSource(
    me: UserPrincipal,
    input: { channel: TopupChannel; cardId?: string; bankAccountId?: string },
  ): Promise<void> {
    const { sandbox, userId } = me;
    if (input.channel === 'card' && !(await this.sources.hasCard(this.db, sandbox.id, userId, input.cardId as string)))
      throw DomainError.notFound('card', input.cardId as string);
    if (input.channel === 'bank_debit' && !(await this.sources.hasBankAccount(this.db, sandbox.id, userId, input.bankAccountId as string)))
      throw DomainError.notFound('bank account', input.bankAccountId as string);
  }

  private async spendPoints(tx: Tx, me: UserPrincipal, points: number): Promise<void> {
    if (!(await this.points.spend(tx, me.sandbox.id, me.walletId, points)))
      throw new DomainError('insufficient_balance', `The points balance does not cover ${points} points`);
  }
}
