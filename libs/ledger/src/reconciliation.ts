/** The invariants reconciliation proves, by the name a broken one is reported under. */
export const RECONCILIATION_CHECKS = [
  'wallet_balance_equals_entries',
  'wallet_not_negative',
  'wallet_reserved_equals_pending',
  'entries_sum_to_zero',
  'transfer_has_two_entries',
  'entry_belongs_to_transfer',
  'wallets_equal_flows',
] as const;

export interface Discrepancy {
  check: (typeof RECONCILIATION_CHECKS)[number];
  detail: string;
  accountId?: string;
  transferId?: string;
  expected?: number;
  actual?: number;
}

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
