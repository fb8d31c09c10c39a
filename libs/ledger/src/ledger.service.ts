import { Injectable, Logger } from '@nestjs/common';
import { Database, DomainError, Outbox, type Queryable, newId } from '#core';
import { AccountsRepository } from './accounts.repository.js';
import {
  type AccountKind,
  type PayoutResult,
  type PendingTransfer,
  type ReserveRequest,
  type Transfer,
  type TransferCode,
  type TransferRequest,
  type WalletBalance,
  type WalletHoldView,
} from './ledger.types.js';
import { PendingTransfersRepository } from './pending-transfers.repository.js';
import { TransfersRepository } from './transfers.repository.js';
import { WalletHoldsRepository } from './wallet-holds.repository.js';

/** The refusal of anything a held wallet tries. */
export const walletOnHold = (walletId: string): DomainError =>
  new DomainError('wallet_on_hold', `Wallet ${walletId} is on hold pending a fraud review`, { walletId });

const notPending = (pendingId: string, status: string | null): DomainError =>
  new DomainError('pending_transfer_not_pending', `Pending transfer ${pendingId} is ${status}`, { transferStatus: status });

/**
 * The ledger's public face: open accounts, post transfers, reserve and
 * settle pending transfers. Every method takes the caller's transaction (or
 * the pool) so a posting commits with the state change that caused it.
 */
@Injectable()
export class LedgerService {
  private readonly logger = new Logger(LedgerService.name);

  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly accounts: AccountsRepository,
    private readonly transfers: TransfersRepository,
    private readonly pending: PendingTransfersRepository,
    private readonly holds: WalletHoldsRepository,
  ) {}

  async openAccount(q: Queryable, sandboxId: string, accountId: string, kind: AccountKind, at: Date): Promise<void> {
    await this.accounts.open(q, sandboxId, accountId, kind, at);
  }

  async openSystemAccounts(q: Queryable, sandboxId: string, at: Date): Promise<void> {
    await this.accounts.openSystem(q, sandboxId, at);
  }

  accountExists(q: Queryable, sandboxId: string, accountId: string, kind: AccountKind): Promise<boolean> {
    return this.accounts.exists(q, sandboxId, accountId, kind);
  }

  /** Moves money at once. Refuses (insufficient_balance) if a wallet would go negative. */
  async transfer(q: Queryable, request: TransferRequest): Promise<Transfer> {
    const posted = await this.transfers.post(q, newId('trf'), request);
    switch (posted.outcome) {
      case 'posted':
      case 'replayed':
        return {
          id: posted.transferId as string,
          replayed: posted.outcome === 'replayed',
          debitBalance: posted.debitBalance,
          creditBalance: posted.creditBalance,
        };
      case 'insufficient_balance':
        throw new DomainError('insufficient_balance', `The balance of ${request.debit} does not cover ¥${request.amount}`);
      case 'wallet_on_hold':
        throw walletOnHold(request.debit);
      case 'account_not_found':
        throw new DomainError('not_found', `No account ${request.debit} or ${request.credit} in this sandbox`);
      case 'key_reused':
        throw new Error(`ledger: transfer key '${request.key}' already posted with other accounts or amount`);
    }
  }

  /** Holds funds on the debit side (two-phase transfer); post, void or expiry settles it exactly once. */
  async reserve(q: Queryable, request: ReserveRequest): Promise<PendingTransfer> {
    const reserved = await this.pending.reserve(q, newId('pnd'), request);
    switch (reserved.outcome) {
      case 'reserved':
      case 'replayed':
        return { id: reserved.pendingId as string, replayed: reserved.outcome === 'replayed' };
      case 'insufficient_balance':
        throw new DomainError('insufficient_balance', `The balance of ${request.debit} does not cover ¥${request.amount}`);
      case 'wallet_on_hold':
        throw walletOnHold(request.debit);
      case 'account_not_found':
        throw new DomainError('not_found', `No account ${request.debit} or ${request.credit} in this sandbox`);
      default:
        throw new Error(`ledger: pending transfer key '${request.key}' already used with other accounts or amount`);
    }
  }

  /** Posts a pending transfer for its amount or less; the rest of the hold is released. A held wallet's payment is refused. */
  async postPending(q: Queryable, sandboxId: string, pendingId: string, amount: number | null, at: Date): Promise<Transfer> {
    const posted = await this.pending.post(q, sandboxId, pendingId, amount, newId('trf'), at);
    switch (posted.outcome) {
      case 'posted':
        return { id: posted.transferId as string, replayed: false, debitBalance: null, creditBalance: null };
      case 'not_found':
        throw DomainError.notFound('pending transfer', pendingId);
      case 'amount_exceeds_pending':
        throw new DomainError('amount_exceeds_pending', `At most ¥${posted.pendingAmount} can be posted`, {
          pendingAmount: posted.pendingAmount,
        });
      case 'not_pending':
        throw notPending(pendingId, posted.status);
      case 'wallet_on_hold':
        throw new DomainError('wallet_on_hold', `The wallet of pending transfer ${pendingId} is on hold pending a fraud review`);
    }
  }

  /** Voids a pending transfer, releasing its hold. */
  async voidPending(q: Queryable, sandboxId: string, pendingId: string, at: Date): Promise<void> {
    const released = await this.pending.release(q, sandboxId, pendingId, 'voided', at);
    if (released.outcome === 'released') return;
    if (released.outcome === 'not_found') throw DomainError.notFound('pending transfer', pendingId);
    throw notPending(pendingId, released.status);
  }

  /**
   * Expires overdue pending transfers by each sandbox's own clock, one
   * transaction and one event each. Safe to run concurrently and repeatedly:
   * a transfer expires once, and only its first expiry emits the event.
   */
  async expireDue(sandboxId: string | null, batch = 500): Promise<number> {
    const due = await this.pending.due(this.db, sandboxId, batch);
    let expired = 0;
    for (const { sandboxId: dueSandboxId, id, now } of due) {
      expired += await this.db.transaction(async (tx) => {
        const released = await this.pending.release(tx, dueSandboxId, id, 'expired', now);
        if (released.outcome !== 'released') return 0;
        const pending = await this.pending.get(tx, dueSandboxId, id);
        await this.outbox.publish(tx, {
          sandboxId: dueSandboxId,
          type: 'ledger.pending_transfer.expired',
          data: { pendingTransferId: id, accountId: pending.debitAccountId, amount: pending.amount, code: pending.code },
          occurredAt: now,
        });
        return 1;
      });
    }
    if (expired > 0) this.logger.log(`expired ${expired} pending transfers`);
    return expired;
  }

  walletBalance(q: Queryable, sandboxId: string, walletId: string): Promise<WalletBalance | null> {
    return this.accounts.findWalletBalance(q, sandboxId, walletId);
  }

  /**
   * Pays each wallet's whole available balance to one account, a transfer
   * per wallet keyed by its own key, in one round trip (ledger_payout_batch).
   * Held wallets are skipped; keys already posted are reported, not posted again.
   */
  async payoutBatch(
    q: Queryable,
    sandboxId: string,
    payouts: Array<{ walletId: string; key: string }>,
    credit: string,
    code: TransferCode,
    at: Date,
  ): Promise<PayoutResult[]> {
    if (payouts.length === 0) return [];
    return this.transfers.payoutBatch(
      q,
      sandboxId,
      payouts.map((p) => ({ ...p, transferId: newId('trf') })),
      credit,
      code,
      at,
    );
  }

  /** What all wallets of a sandbox hold now, or held at a past time (from the entries). */
  walletTotals(q: Queryable, sandboxId: string, at?: Date): Promise<{ wallets: number; total: number }> {
    return at ? this.accounts.walletTotalsAt(q, sandboxId, at) : this.accounts.walletTotals(q, sandboxId);
  }

  /** Balance of any account; store and system balances are the sum of their entries. */
  accountBalance(q: Queryable, sandboxId: string, accountId: string): Promise<number> {
    return this.transfers.balanceOf(q, sandboxId, accountId);
  }

  /** How many pending transfers of one purpose, made since a time, still reserve an account's money. */
  openReservations(q: Queryable, sandboxId: string, accountId: string, code: TransferCode, since: Date): Promise<number> {
    return this.pending.countOpen(q, sandboxId, accountId, code, since);
  }

  pendingStatus(q: Queryable, sandboxId: string, pendingId: string): Promise<string | null> {
    return this.pending.findStatus(q, sandboxId, pendingId);
  }

  /** Puts a hold on a wallet (payments refused); once per hold, however often the message comes, and never after its release. */
  async placeHold(q: Queryable, sandboxId: string, hold: { holdId: string; walletId: string; reason: string; at: Date }): Promise<void> {
    await this.holds.lock(q, sandboxId, hold.holdId);
    if (await this.holds.insertUnlessReleased(q, sandboxId, hold)) await this.accounts.countHold(q, sandboxId, hold.walletId, 1);
  }

  /** Releases a hold, leaving a tombstone so that its placing, should it come later, changes nothing. */
  async releaseHold(q: Queryable, sandboxId: string, holdId: string, at: Date): Promise<void> {
    await this.holds.lock(q, sandboxId, holdId);
    await this.holds.markReleased(q, sandboxId, holdId, at);
    const walletId = await this.holds.delete(q, sandboxId, holdId);
    if (walletId) await this.accounts.countHold(q, sandboxId, walletId, -1);
  }

  walletHolds(q: Queryable, sandboxId: string, walletId: string): Promise<WalletHoldView[]> {
    return this.holds.ofWallet(q, sandboxId, walletId);
  }

  /** Refuses what a held wallet may not do (issue codes, top up) in the modules that own those acts. */
  async assertNotOnHold(q: Queryable, sandboxId: string, walletId: string): Promise<void> {
    if (await this.accounts.isOnHold(q, sandboxId, walletId)) throw walletOnHold(walletId);
  }

  /**
   * What a wallet may still pay of an allowance, given its payments of the last 24 hours. Locked, the
   * wallet's row stays locked until commit, so two payments checked at once cannot take the same yen.
   */
  walletAllowance(q: Queryable, sandboxId: string, walletId: string, allowance: number, at: Date, lock: boolean): Promise<number> {
    return this.accounts.allowance(q, sandboxId, walletId, allowance, at, lock);
  }

  /** Total moved by transfers of one purpose from or to one account, up to a time (reports). */
  totalByCode(q: Queryable, sandboxId: string, code: TransferCode, side: { debit?: string; credit?: string }, upTo: Date): Promise<number> {
    return this.transfers.totalByCode(q, sandboxId, code, side, upTo);
  }
}
