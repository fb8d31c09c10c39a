import type { Schemas } from '@wallet-sandbox/client';
import { type Translate, formatYen } from '../../i18n/index.js';
import type { MessageKey } from '../../i18n/index.js';

/** GET /v1/reports/reconciliation, as the ledger answers it. */
export type ReconciliationReport = Schemas['ReconciliationReportDto'];
export type Discrepancy = Schemas['DiscrepancyDto'];

/** The checks the console words itself; one the API adds later shows in the API's own words. */
const CHECKS = [
  'wallet_balance_equals_entries',
  'wallet_not_negative',
  'wallet_reserved_equals_pending',
  'entries_sum_to_zero',
  'transfer_has_two_entries',
  'entry_belongs_to_transfer',
  'wallets_equal_flows',
] as const satisfies readonly Discrepancy['check'][];

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
