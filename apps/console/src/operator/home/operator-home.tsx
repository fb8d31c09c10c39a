import { type ReactNode, useCallback } from 'react';
import { Link } from 'wouter';
import type { Schemas } from '@wallet-sandbox/client';
import { answer, client } from '../../api.js';
import { ProblemView } from '../../components/problem-view.js';
import { type MessageKey, formatYen, useLanguage } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { type ReconciliationReport, discrepancyInWords } from '../ledger/reconciliation.js';
import { useRead } from './use-read.js';

type Overview = Schemas['OverviewDto'];

/** The fields of GET /v1/reports/refunds the home page shows. */
interface RefundReport {
  claims: Record<string, number>;
}

const CHANNELS = ['card', 'bank_debit', 'atm', 'register_cash', 'points'] as const;
const CLAIM_STATUSES = ['submitted', 'on_hold', 'bounced', 'paid'] as const;

/** Wallets, balances, today's payments and top-ups, holds, claims, reconciliation: each figure as the API computes it. */
export default function OperatorHome() {
  const { t } = useLanguage();
  const { secretKey, sandbox } = useSession();
  const read = useRead(
    useCallback(async () => {
      const api = client({ token: secretKey });
      const [overview, refunds, reconciliation] = await Promise.all([
        answer(api.GET('/v1/reports/overview')),
        answer(api.GET('/v1/reports/refunds')) as Promise<unknown> as Promise<RefundReport>,
        answer(api.GET('/v1/reports/reconciliation')) as Promise<unknown> as Promise<ReconciliationReport>,
      ]);
      return { overview, refunds, reconciliation };
    }, [secretKey]),
    sandbox.clock.now,
  );
  const data = read.data;
  return (
    <section className="panel operator-room operator-home" aria-labelledby="room-heading">
      <div className="section-head">
        <h2 id="room-heading">{t('operator.room.home')}</h2>
        <button type="button" className="secondary" disabled={read.busy} onClick={() => void read.reload()}>
          {t('common.refresh')}
        </button>
      </div>
      <ProblemView problem={read.problem} />
      {!data && !read.problem && <p role="status">{t('common.loading')}</p>}
      {data && (
        <>
          <ReconciliationBadge report={data.reconciliation} />
          <div className="home-figures">
            <Figure testId="wallets" label="home.wallets" value={String(data.overview.wallets)}>
              {t('home.walletsWithBalance', { count: data.overview.walletsWithBalance })}
            </Figure>
            <Figure testId="outstanding" label="home.outstanding" value={formatYen(data.overview.outstanding)}>
              {t('home.reserved', { amount: formatYen(data.overview.reserved) })}
            </Figure>
            <Figure testId="open-holds" label="home.openHolds" value={String(data.overview.openHolds)}>
              <Link href="/fraud">{t('home.toFraud')}</Link>
            </Figure>
          </div>
          <Today overview={data.overview} />
          <Claims report={data.refunds} />
        </>
      )}
    </section>
  );
}

export function Figure({ testId, label, value, children }: { testId: string; label: MessageKey; value: string; children: ReactNode }) {
  const { t } = useLanguage();
  return (
    <div className="home-figure" data-testid={testId}>
      <h3>{t(label)}</h3>
      <p className="home-figure-value">{value}</p>
      <p className="muted">{children}</p>
    </div>
  );
}

const JST_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' });

function Today({ overview }: { overview: Overview }) {
  const { t } = useLanguage();
  const topups = overview.today.topups;
  const total = CHANNELS.reduce((sum, c) => ({ count: sum.count + topups[c].count, amount: sum.amount + topups[c].amount }), {
    count: 0,
    amount: 0,
  });
  const rows = CHANNELS.map((c) => ({ key: `topup-${c}`, label: t(`money.channel.${c}` as MessageKey), ...topups[c] }));
  return (
    <section aria-labelledby="today-heading">
      <h3 id="today-heading">{t('home.today', { day: JST_DAY.format(new Date(overview.day.from)) })}</h3>
      <table className="figures-table" data-testid="today">
        <caption>{t('home.todayCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('home.what')}</th>
            <th scope="col">{t('home.count')}</th>
            <th scope="col">{t('home.yen')}</th>
          </tr>
        </thead>
        <tbody>
          <tr className="group">
            <th scope="rowgroup" colSpan={3}>
              {t('home.topups')}
            </th>
          </tr>
          {rows.map((row) => (
            <tr key={row.key} data-testid={row.key}>
              <th scope="row">{row.label}</th>
              <td>{row.count}</td>
              <td>{formatYen(row.amount)}</td>
            </tr>
          ))}
          <tr className="total" data-testid="topup-total">
            <th scope="row">{t('home.topupTotal')}</th>
            <td>{total.count}</td>
            <td>{formatYen(total.amount)}</td>
          </tr>
          <tr data-testid="payments">
            <th scope="row">{t('home.payments')}</th>
            <td>{overview.today.payments.count}</td>
            <td>{formatYen(overview.today.payments.amount)}</td>
          </tr>
          <tr data-testid="refunds">
            <th scope="row">{t('home.storeRefunds')}</th>
            <td>{overview.today.refunds.count}</td>
            <td>{formatYen(overview.today.refunds.amount)}</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}

function Claims({ report }: { report: RefundReport }) {
  const { t } = useLanguage();
  return (
    <section aria-labelledby="claims-heading">
      <div className="section-head">
        <h3 id="claims-heading">{t('home.claims')}</h3>
        <Link href="/refunds">{t('home.toRefunds')}</Link>
      </div>
      <dl className="facts claims-by-status" data-testid="claims">
        {CLAIM_STATUSES.map((status) => (
          <div key={status} data-testid={`claims-${status}`}>
            <dt>{t(`home.claim.${status}` as MessageKey)}</dt>
            <dd>{report.claims[status] ?? 0}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** ok, or the discrepancies in words: each links to the full report in the Ledger room. */
function ReconciliationBadge({ report }: { report: ReconciliationReport }) {
  const { t } = useLanguage();
  return (
    <div className={`reconciliation-badge ${report.ok ? 'ok' : 'broken'}`} data-testid="reconciliation" role="status">
      <strong>{report.ok ? t('home.reconciled') : t('home.notReconciled', { count: report.discrepancies.length })}</strong>
      {!report.ok && (
        <ul>
          {report.discrepancies.slice(0, 3).map((d, i) => (
            <li key={i}>{discrepancyInWords(d, t)}</li>
          ))}
        </ul>
      )}
      <Link href="/ledger">{t('home.toLedger')}</Link>
    </div>
  );
}
