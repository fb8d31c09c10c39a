import type { Schemas } from '@wallet-sandbox/client';
import { must } from './api.js';
import { CHANNELS } from './cast.js';
import type { World } from './world.js';

/** One figure of the final report: as the sandbox's reports give it, as the ledger holds it, as the replay counted it. */
export interface Row {
  figure: string;
  report: string | null;
  ledger: string | null;
  replay: string | null;
  ok: boolean;
}

interface Figures {
  report?: number;
  ledger?: number;
  replay: number;
}

const yen = (n: number): string => `¥${n.toLocaleString('en-US')}`;
const count = (n: number): string => n.toLocaleString('en-US');

/** A figure read in two or three places, which must all agree. */
function row(figure: string, { report, ledger, replay }: Figures, show: (n: number) => string = yen): Row {
  const values = [report, ledger, replay].filter((v): v is number => v !== undefined);
  return {
    figure,
    report: report === undefined ? null : show(report),
    ledger: ledger === undefined ? null : show(ledger),
    replay: show(replay),
    ok: values.length >= 2 && values.every((v) => v === values[0]),
  };
}

/**
 * The story's figures, read from the sandbox's reports and its ledger and
 * set against the replay's own book: every row must agree to the yen.
 */
export async function finalReport(w: World): Promise<Row[]> {
  const [ledger, damage, refunds] = await Promise.all([w.operator.reconciliation(), w.operator.damage(), w.operator.refunds()]);
  const { book } = w;
  const { totals } = ledger;
  // `|| 0`: an account never used reads ¥0, not ¥-0.
  const system = (account: string): number => -(totals.systemBalances[account] ?? 0) || 0;
  const topups = CHANNELS.map((channel) =>
    row(`top-ups, ${channel.replace('_', ' ')}${channel === 'card' ? ' (less reversals)' : ''}`, {
      ledger: system(`system:topup:${channel}`),
      replay: book.topups[channel].yen - (channel === 'card' ? book.compensation.reversed : 0),
    }),
  );
  const refunded = {
    count: book.claims.paid.count + book.claims.caseByCase.count,
    yen: book.claims.paid.yen + book.claims.caseByCase.yen,
  };
  return [
    row('customers (wallets)', { ledger: totals.accounts.wallet, replay: book.customers }, count),
    row('stores', { ledger: totals.accounts.store, replay: book.stores }, count),
    ...topups,
    row('purchases less store refunds', { ledger: totals.storeBalances, replay: book.purchases.yen - book.storeRefunds.yen }),
    row('fraud victims', { report: damage.victims, replay: book.compensation.victims }, count),
    row('damage', { report: damage.amount, replay: book.compensation.damage }),
    row('reimbursed to victims', {
      report: damage.compensated.reimbursed,
      ledger: damage.ledger.reimbursed,
      replay: book.compensation.reimbursed,
    }),
    row('card top-ups reversed', {
      report: damage.compensated.reversed,
      ledger: damage.ledger.reversed,
      replay: book.compensation.reversed,
    }),
    row('issuer fraud losses', {
      report: damage.compensated.reimbursed,
      ledger: system('system:fraud_losses'),
      replay: book.compensation.reimbursed,
    }),
    row('refund claims paid', { report: refunds.refundedCount, replay: refunded.count }, count),
    row('refunded', { report: refunds.refunded, ledger: -system('system:refund_payouts'), replay: refunded.yen }),
    row('balances unclaimed', { report: refunds.unclaimedCount, replay: w.holders().length }, count),
    row('unclaimed', { report: refunds.unclaimed, replay: book.total() }),
    row('outstanding in wallets', { report: refunds.outstanding, ledger: totals.walletBalances, replay: book.total() }),
    row('given up by closing the membership', { ledger: await closedBalances(w), replay: book.closures.yen }),
    depositRow(refunds, book.atTermination),
    {
      figure: 'ledger reconciliation',
      report: ledger.ok ? 'ok' : `${ledger.discrepancies.length} discrepancies`,
      ledger: `Σ postings ${totals.entriesSum}`,
      replay: null,
      ok: ledger.ok && totals.entriesSum === 0 && refunds.reconciles.balances && refunds.reconciles.payouts,
    },
  ];
}

/** What the closed memberships' wallets still hold, by the ledger. */
async function closedBalances(w: World): Promise<number> {
  const wallets = await Promise.all(
    w.members
      .filter((m) => m.closed)
      .map(({ walletId }) => must(w.operator.api.GET('/v1/sandbox/wallets/{walletId}', { params: { path: { walletId } } }))),
  );
  return wallets.reduce((sum, wallet) => sum + wallet.balance, 0);
}

/** The deposit the law asks for on the base date (09-30 24:00): half the unused balance above ¥10M. */
function depositRow(refunds: Schemas['RefundReportDto'], atTermination: number): Row {
  const { unusedBalance, threshold, required } = refunds.depositRequirement;
  const expected = atTermination > threshold ? Math.ceil(atTermination / 2) : 0;
  return {
    figure: `deposit due (${refunds.depositRequirement.baseDate.slice(0, 10)} base date)`,
    report: `${yen(required)} of ${yen(unusedBalance)}`,
    ledger: null,
    replay: `${yen(expected)} of ${yen(atTermination)}`,
    ok: required === expected && unusedBalance === atTermination,
  };
}

/** The table, as text: figure, sandbox, ledger, replay, ✓ or ✗. */
export function renderReport(rows: Row[]): string {
  const cells = rows.map((r) => [r.figure, r.report ?? '—', r.ledger ?? '—', r.replay ?? '—', r.ok ? '✓' : '✗']);
  const header = ['figure', "sandbox's reports", 'ledger', 'replay counted', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]): string => c.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((n) => '─'.repeat(n)).join('  '), ...cells.map(line)].join('\n');
}
