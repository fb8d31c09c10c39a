import { type Translate, formatYen } from '../../i18n/index.js';
import type { MessageKey } from '../../i18n/index.js';

/** GET /v1/reports/reconciliation, as the ledger answers it. */
export interface ReconciliationReport {
  ok: boolean;
  asOf: string;
  discrepancies: Discrepancy[];
  totals: {
    accounts: { wallet: number; store: number; system: number };
    transfers: number;
    entriesSum: number;
    walletBalances: number;
    walletReserved: number;
    storeBalances: number;
    pendingTransfers: { count: number; amount: number };
    walletFlows: { in: Record<string, number>; out: Record<string, number> };
    systemBalances: Record<string, number>;
  };
}

export interface Discrepancy {
  check: string;
  detail: string;
  accountId?: string;
  transferId?: string;
  expected?: number;
  actual?: number;
}

const CHECKS = [
  'wallet_balance_equals_entries',
  'wallet_not_negative',
  'wallet_reserved_equals_pending',
  'entries_sum_to_zero',
  'transfer_has_two_entries',
  'entry_belongs_to_transfer',
  'wallets_equal_flows',
] as const;

/** One broken invariant, in a sentence an operator reads (the API's own words when the check is new to the console). */
export function discrepancyInWords(d: Discrepancy, t: Translate): string {
  if (!(CHECKS as readonly string[]).includes(d.check)) return d.detail;
  return t(`ledger.discrepancy.${d.check}` as MessageKey, {
    account: d.accountId ?? '—',
    transfer: d.transferId ?? '—',
    expected: formatYen(d.expected ?? 0),
    actual: formatYen(d.actual ?? 0),
  });
}

/** Sum of one direction of the wallets' flows. */
export function flowTotal(flows: Record<string, number>): number {
  return Object.values(flows).reduce((sum, amount) => sum + amount, 0);
}
