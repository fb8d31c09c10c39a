import { Injectable } from '@nestjs/common';
import { Database, type Tx } from '#core';
import { ReconciliationRepository } from '../reconciliation.repository.js';
import type { Discrepancy, ReconciliationReport } from '../reconciliation.js';

const MAX_LISTED = 100;

/**
 * Proves the ledger's invariants for one sandbox on one snapshot: every
 * transfer is two opposite entries, all entries sum to zero, each wallet's
 * stored balance equals its entries and never goes negative, reservations
 * equal open pending transfers, and wallet balances equal money in minus
 * money out by purpose.
 */
@Injectable()
export class Reconciliation {
  constructor(
    private readonly db: Database,
    private readonly ledger: ReconciliationRepository,
  ) {}

  async run(sandboxId: string, asOf: Date): Promise<ReconciliationReport> {
    return this.db.transaction((tx) => this.check(tx, sandboxId, asOf), 'REPEATABLE READ');
  }

  private async check(tx: Tx, sandboxId: string, asOf: Date): Promise<ReconciliationReport> {
    const discrepancies: Discrepancy[] = [];
    const add = (d: Discrepancy): void => {
      if (discrepancies.length < MAX_LISTED) discrepancies.push(d);
    };

    const counts = { wallet: 0, store: 0, system: 0 };
    const systemBalances: Record<string, number> = {};
    let walletBalances = 0;
    let walletReserved = 0;
    let storeBalances = 0;
    for (const account of await this.ledger.accounts(tx, sandboxId)) {
      counts[account.kind] += 1;
      const entries = account.entriesSum;
      if (account.kind === 'system') systemBalances[account.id] = entries;
      if (account.kind === 'store') storeBalances += entries;
      if (account.kind !== 'wallet') continue;
      const { balance, reserved } = account;
      walletBalances += balance;
      walletReserved += reserved;
      if (balance !== entries) {
        add({
          check: 'wallet_balance_equals_entries',
          accountId: account.id,
          expected: entries,
          actual: balance,
          detail: 'stored balance differs from the sum of its entries',
        });
      }
      if (balance < 0 || reserved < 0 || reserved > balance) {
        add({
          check: 'wallet_not_negative',
          accountId: account.id,
          actual: balance - reserved,
          detail: 'wallet balance or available balance is negative',
        });
      }
      if (reserved !== account.pendingSum) {
        add({
          check: 'wallet_reserved_equals_pending',
          accountId: account.id,
          expected: account.pendingSum,
          actual: reserved,
          detail: 'reserved funds differ from open pending transfers',
        });
      }
    }

    const sums = await this.ledger.sums(tx, sandboxId);
    const entriesSum = sums.entriesSum;
    if (entriesSum !== 0) add({ check: 'entries_sum_to_zero', expected: 0, actual: entriesSum, detail: 'money was created or lost' });

    for (const id of await this.ledger.transfersMissingEntries(tx, sandboxId, MAX_LISTED))
      add({ check: 'transfer_has_two_entries', transferId: id, detail: 'transfer lacks its debit or credit entry' });

    for (const o of await this.ledger.strayEntries(tx, sandboxId, MAX_LISTED))
      add({
        check: 'entry_belongs_to_transfer',
        transferId: o.transferId,
        accountId: o.accountId,
        detail: 'entry without its transfer or account',
      });

    const walletFlows = { in: {} as Record<string, number>, out: {} as Record<string, number> };
    let net = 0;
    for (const f of await this.ledger.walletFlows(tx, sandboxId)) {
      walletFlows[f.direction][f.code] = f.total;
      net += f.direction === 'in' ? f.total : -f.total;
    }
    if (net !== walletBalances) {
      add({
        check: 'wallets_equal_flows',
        expected: net,
        actual: walletBalances,
        detail: 'wallet balances differ from money in minus money out',
      });
    }

    return {
      ok: discrepancies.length === 0,
      asOf: asOf.toISOString(),
      discrepancies,
      totals: {
        accounts: counts,
        transfers: sums.transfers,
        entriesSum,
        walletBalances,
        walletReserved,
        storeBalances,
        pendingTransfers: await this.ledger.openPending(tx, sandboxId),
        walletFlows,
        systemBalances,
      },
    };
  }
}
