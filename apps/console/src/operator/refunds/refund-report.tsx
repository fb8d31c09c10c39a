import { useCallback } from 'react';
import { answer } from '../../api.js';
import { ProblemView } from '../../components/problem-view.js';
import { type MessageKey, formatYen, useLanguage } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { Figure } from '../home/operator-home.js';
import { useRead } from '../home/use-read.js';
import { When, useOperatorApi } from '../fraud/shared.js';
import { CLAIM_STATUSES, type RefundReport } from './types.js';

/** Where the refund campaign stands, and whether it reconciles with the ledger, in words. */
export function RefundReportView() {
  const { t } = useLanguage();
  const api = useOperatorApi();
  const { sandbox } = useSession();
  const report = useRead(
    useCallback(() => answer(api.GET('/v1/reports/refunds')), [api]),
    sandbox.clock.now,
  );
  const r = report.data;
  return (
    <section className="refund-section" aria-labelledby="report-heading">
      <div className="section-head">
        <h3 id="report-heading">{t('refunds.report.heading')}</h3>
        <button type="button" className="secondary" disabled={report.busy} onClick={() => void report.reload()}>
          {t('common.refresh')}
        </button>
      </div>
      <ProblemView problem={report.problem} />
      {!r && !report.problem && <p role="status">{t('common.loading')}</p>}
      {r && (
        <>
          <Reconciles report={r} />
          <p className="muted">
            {t('refunds.report.asOf')} <When at={r.asOf} />
          </p>
          <div className="home-figures">
            <Figure label="refunds.report.outstanding" value={formatYen(r.outstanding)} testId="report-outstanding">
              {t('refunds.report.wallets', { count: r.walletsWithBalance })}
            </Figure>
            <Figure label="refunds.report.refunded" value={formatYen(r.refunded)} testId="report-refunded">
              {t('refunds.report.claimsPaid', { count: r.refundedCount })}
            </Figure>
            <Figure label="refunds.report.awaiting" value={formatYen(r.awaitingPayout.amount)} testId="report-awaiting">
              {t('refunds.report.wallets', { count: r.awaitingPayout.count })}
            </Figure>
            <Figure label="refunds.report.unclaimed" value={formatYen(r.unclaimed)} testId="report-unclaimed">
              {t('refunds.report.wallets', { count: r.unclaimedCount })}
            </Figure>
          </div>
          <section aria-labelledby="deposit-heading">
            <h4 id="deposit-heading">{t('refunds.deposit.heading')}</h4>
            <p data-testid="deposit">
              {r.depositRequirement.required > 0
                ? t('refunds.deposit.required', {
                    unused: formatYen(r.depositRequirement.unusedBalance),
                    threshold: formatYen(r.depositRequirement.threshold),
                    required: formatYen(r.depositRequirement.required),
                  })
                : t('refunds.deposit.none', {
                    unused: formatYen(r.depositRequirement.unusedBalance),
                    threshold: formatYen(r.depositRequirement.threshold),
                  })}{' '}
              {t('refunds.deposit.baseDate')} <When at={r.depositRequirement.baseDate} />
            </p>
          </section>
          <section aria-labelledby="report-claims-heading">
            <h4 id="report-claims-heading">{t('refunds.report.claims')}</h4>
            <dl className="facts claims-by-status">
              {CLAIM_STATUSES.map((status) => (
                <div key={status}>
                  <dt>{t(`home.claim.${status}` as MessageKey)}</dt>
                  <dd>{r.claims[status]}</dd>
                </div>
              ))}
            </dl>
          </section>
        </>
      )}
    </section>
  );
}

/** Both checks in words: the balances split into awaiting and unclaimed, and the claims' payouts match the ledger's. */
function Reconciles({ report }: { report: RefundReport }) {
  const { t } = useLanguage();
  const ok = report.reconciles.balances && report.reconciles.payouts;
  return (
    <div className={`reconciliation-verdict ${ok ? 'ok' : 'broken'}`} role="status" data-testid="report-reconciles">
      <strong>{t(ok ? 'refunds.reconciles.yes' : 'refunds.reconciles.no')}</strong>
      <ul>
        <li>
          {t(report.reconciles.balances ? 'refunds.reconciles.balances' : 'refunds.reconciles.balancesOff', {
            outstanding: formatYen(report.outstanding),
            awaiting: formatYen(report.awaitingPayout.amount),
            unclaimed: formatYen(report.unclaimed),
          })}
        </li>
        <li>
          {t(report.reconciles.payouts ? 'refunds.reconciles.payouts' : 'refunds.reconciles.payoutsOff', {
            refunded: formatYen(report.refunded),
          })}
        </li>
      </ul>
    </div>
  );
}
