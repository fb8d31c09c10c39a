import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  type ClientFacts,
  Database,
  DomainError,
  Outbox,
  type SandboxContext,
  ServicePolicy,
  type StorePrincipal,
  Topic,
  type TopupChannel,
  type Tx,
  type UserPrincipal,
  newId,
  sha256Hex,
} from '#core';
import { LedgerService } from '#ledger';
import { StepUp } from '#identity';
import { MAX_POINTS_BALANCE, type TopupLimits, checkChannelAmount, japanDay, limitExceeded } from '../limits.js';
import { TopupSettingsStore } from '../settings.js';
import { type Topup, TopupsRepository, topupFacts } from '../topups.repository.js';

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
    private readonly outbox: Outbox,
    private readonly policy: ServicePolicy,
    private readonly stepUp: StepUp,
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
    if (input.channel === 'card') await this.assertOwned(me, 'topup_cards', input.cardId as string, 'card');
    if (input.channel === 'bank_debit') await this.assertOwned(me, 'topup_bank_accounts', input.bankAccountId as string, 'bank account');
    if (input.channel === 'card' || input.channel === 'bank_debit') await this.stepUp.require(me, client);

    return this.db.transaction(async (tx) => {
      const base = {
        sandbox: me.sandbox,
        walletId: me.walletId,
        userId: me.userId,
        channel: input.channel,
        amount: input.amount,
        cardId: input.cardId,
        bankAccountId: input.bankAccountId,
      };
      if (input.channel === 'points') await this.spendPoints(tx, me, input.amount);
      if (input.channel !== 'atm') return this.record(tx, base, limits, true);
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
      await tx.rows(`INSERT INTO topup_atm_codes (sandbox_id, code_hash, topup_id, expires_at) VALUES ($1, $2, $3, $4)`, [
        me.sandbox.id,
        sha256Hex(depositCode),
        topup.id,
        expiresAt,
      ]);
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
      const [code] = await tx.rows<{ o_outcome: string; o_code_id: string; o_wallet_id: string; o_user_id: string }>(
        `SELECT * FROM barcode_take_code($1, $2, $3)`,
        [store.sandbox.id, sha256Hex(input.code), now],
      );
      if (code.o_outcome !== 'ok')
        throw new DomainError(
          code.o_outcome as 'code_invalid' | 'code_used' | 'code_expired',
          'The payment code cannot be used for a top-up',
        );
      await this.ledger.assertNotOnHold(tx, store.sandbox.id, code.o_wallet_id);
      const topup = await this.record(
        tx,
        {
          sandbox: store.sandbox,
          walletId: code.o_wallet_id,
          userId: code.o_user_id,
          channel: 'register_cash',
          amount: input.amount,
          storeId: store.storeId,
        },
        limits,
        true,
      );
      await tx.rows(`SELECT barcode_use_code($1, $2, $3, $4)`, [store.sandbox.id, code.o_code_id, now, topup.id]);
      return topup;
    });
  }

  /** The sandbox's ATM simulator: the customer keys in the deposit code and the cash goes in. */
  async atmDeposit(sandbox: SandboxContext, depositCode: string): Promise<Topup> {
    // The ATM takes no cash once the channel is suspended, whenever the code was issued.
    await this.policy.assertOpen(sandbox, 'topup.atm');
    return this.db.transaction(async (tx) => {
      const now = sandbox.time.now();
      const [code] = await tx.rows<{ topup_id: string; expires_at: Date; used_at: Date | null }>(
        `SELECT topup_id, expires_at, used_at FROM topup_atm_codes WHERE sandbox_id = $1 AND code_hash = $2 FOR UPDATE`,
        [sandbox.id, sha256Hex(depositCode)],
      );
      if (!code) throw new DomainError('code_invalid', 'No such deposit code');
      if (code.used_at) throw new DomainError('code_used', 'This deposit code was already used');
      if (code.expires_at <= now) throw new DomainError('code_expired', 'This deposit code has expired');
      const topup = await this.topups.get(tx, sandbox.id, code.topup_id, {}, true);
      // A process whose view of the clock lags may still see the code as valid after the sweep failed its top-up.
      if (topup.status !== 'pending') throw new DomainError('code_expired', 'This deposit code has expired');
      await tx.rows(`UPDATE topup_atm_codes SET used_at = $3 WHERE sandbox_id = $1 AND code_hash = $2`, [
        sandbox.id,
        sha256Hex(depositCode),
        now,
      ]);
      await this.topups.update(tx, sandbox.id, topup.id, { nextAction: null }, now);
      const ready = { ...topup, nextAction: null };
      await this.outbox.emit(tx, sandbox, Topic.TopupRequested, topupFacts(ready));
      return ready;
    });
  }

  async seedPoints(sandbox: SandboxContext, walletId: string, points: number): Promise<{ walletId: string; points: number }> {
    if (!(await this.ledger.accountExists(this.db, sandbox.id, walletId, 'wallet'))) throw DomainError.notFound('wallet', walletId);
    const [row] = await this.db.rows<{ balance: string }>(
      `INSERT INTO topup_points AS p (sandbox_id, wallet_id, balance) SELECT $1, $2, $3::bigint WHERE $3::bigint <= $4::bigint
       ON CONFLICT (sandbox_id, wallet_id) DO UPDATE SET balance = p.balance + EXCLUDED.balance WHERE p.balance + EXCLUDED.balance <= $4::bigint
       RETURNING balance`,
      [sandbox.id, walletId, points, MAX_POINTS_BALANCE],
    );
    if (!row) {
      const max = MAX_POINTS_BALANCE.toLocaleString('en');
      throw limitExceeded('points.balance', MAX_POINTS_BALANCE, `A wallet may hold at most ${max} points`);
    }
    return { walletId, points: Number(row.balance) };
  }

  /** The loyalty points a wallet may top up with. */
  async points(sandboxId: string, walletId: string): Promise<{ walletId: string; points: number }> {
    const [row] = await this.db.rows<{ balance: string }>(`SELECT balance FROM topup_points WHERE sandbox_id = $1 AND wallet_id = $2`, [
      sandboxId,
      walletId,
    ]);
    return { walletId, points: Number(row?.balance ?? 0) };
  }

  /** Records a pending top-up after reserving it against the daily cap and the maximum balance. */
  private async record(tx: Tx, t: NewTopup, limits: TopupLimits, ready: boolean): Promise<Topup> {
    const now = t.at ?? t.sandbox.time.now();
    const day = japanDay(now);
    await this.topups.lockWallet(tx, t.sandbox.id, t.walletId);
    if (!(await this.topups.reserveDailyUsage(tx, t.sandbox.id, t.walletId, day, t.amount, limits.dailyCap))) {
      throw limitExceeded('daily_cap', limits.dailyCap, `Top-ups may total at most ¥${limits.dailyCap.toLocaleString('en')} per day`);
    }
    const balance = (await this.ledger.walletBalance(tx, t.sandbox.id, t.walletId))?.balance ?? 0;
    if (balance + (await this.topups.inFlight(tx, t.sandbox.id, t.walletId)) + t.amount > limits.maxBalance) {
      throw limitExceeded('max_balance', limits.maxBalance, `A wallet may hold at most ¥${limits.maxBalance.toLocaleString('en')}`);
    }
    const topup = await this.topups.insert(tx, { ...t, sandboxId: t.sandbox.id, id: newId('top'), usageDay: day, at: now });
    if (ready) await this.outbox.emit(tx, t.sandbox, Topic.TopupRequested, topupFacts(topup));
    return topup;
  }

  private async spendPoints(tx: Tx, me: UserPrincipal, points: number): Promise<void> {
    const rows = await tx.rows(
      `UPDATE topup_points SET balance = balance - $3 WHERE sandbox_id = $1 AND wallet_id = $2 AND balance >= $3 RETURNING balance`,
      [me.sandbox.id, me.walletId, points],
    );
    if (rows.length === 0) throw new DomainError('insufficient_balance', `The points balance does not cover ${points} points`);
  }

  private async assertOwned(me: UserPrincipal, table: 'topup_cards' | 'topup_bank_accounts', id: string, what: string): Promise<void> {
    const removed = table === 'topup_cards' ? 'AND removed_at IS NULL' : '';
    const rows = await this.db.rows(`SELECT 1 FROM ${table} WHERE sandbox_id = $1 AND id = $2 AND user_id = $3 ${removed}`, [
      me.sandbox.id,
      id,
      me.userId,
    ]);
    if (rows.length === 0) throw DomainError.notFound(what, id);
  }
}
