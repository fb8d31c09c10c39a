import { useCallback, useMemo } from 'react';
import { ProblemView } from '../../components/problem-view.js';
import { TableScroll } from '../../components/table-scroll.js';
import { TimeChart } from '../../components/time-chart.js';
import { type MessageKey, formatYen, sandboxTimeZone, useLanguage } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { When, read, useOperatorApi, usePolled } from './shared.js';
import type { DamageReport } from './types.js';

const POLL_MS = 3000;

/** 7pay's "808 people / ¥38,615,473": confirmed victims, their damage, and how far compensation has come. */
export function DamageReportView() {
  const { t } = useLanguage();
  const { sandbox } = useSession();
  const api = useOperatorApi();
  const fetchReport = useCallback(() => read<DamageReport>(api.GET('/v1/reports/damage')), [api]);
  const report = usePolled(fetchReport, POLL_MS);
  const r = report.value;
  return (
    <section className="fraud-section" aria-labelledby="damage-heading">
      <h3 id="damage-heading">{t('fraud.damage.heading')}</h3>
      <p className="muted">{t('fraud.damage.explain')}</p>
      <ProblemView problem={report.problem} />
      {r && (
        <>
          <dl className="fraud-facts damage-totals" data-testid="damage-totals">
            <div>
              <dt>{t('fraud.damage.victims')}</dt>
              <dd data-testid="damage-victims">{r.victims}</dd>
            </div>
            <div>
              <dt>{t('fraud.damage.amount')}</dt>
              <dd data-testid="damage-amount">{formatYen(r.amount)}</dd>
            </div>
            <div>
              <dt>{t('fraud.damage.compensatedVictims')}</dt>
              <dd data-testid="damage-compensated">{r.compensated.victims}</dd>
            </div>
            <div>
              <dt>{t('fraud.damage.reimbursed')}</dt>
              <dd>{formatYen(r.compensated.reimbursed)}</dd>
            </div>
            <div>
              <dt>{t('fraud.damage.reversed')}</dt>
              <dd>{formatYen(r.compensated.reversed)}</dd>
            </div>
            <div>
              <dt>{t('fraud.damage.ledger')}</dt>
              <dd className="ledger-figures">
                {t('fraud.damage.ledgerFigures', { reimbursed: formatYen(r.ledger.reimbursed), reversed: formatYen(r.ledger.reversed) })}
              </dd>
            </div>
          </dl>
          <p className="muted">
            {t('fraud.damage.asOf')} <When at={r.asOf} />
          </p>
          <Timeline report={r} timeZone={sandboxTimeZone(sandbox.clock.now)} />
          <h4 id="victims-heading">{t('fraud.damage.list')}</h4>
          {r.list.length === 0 ? (
            <p>{t('fraud.damage.noVictims')}</p>
          ) : (
            <TableScroll labelledBy="victims-heading">
              <table className="fraud-table" data-testid="victims-table">
                <thead>
                  <tr>
                    <th scope="col">{t('fraud.holds.wallet')}</th>
                    <th scope="col">{t('fraud.damage.confirmedAt')}</th>
                    <th scope="col">{t('fraud.damage.topups')}</th>
                    <th scope="col">{t('fraud.damage.payments')}</th>
                    <th scope="col">{t('fraud.damage.damage')}</th>
                    <th scope="col">{t('fraud.damage.compensation')}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.list.map((v) => (
                    <tr key={v.victimId} data-victim={v.victimId}>
                      <td>
                        <code>{v.walletId}</code>
                      </td>
                      <td>
                        <When at={v.confirmedAt} />
                      </td>
                      <td className="number">{formatYen(v.fraudulentTopups)}</td>
                      <td className="number">{formatYen(v.fraudulentPayments)}</td>
                      <td className="number">{formatYen(v.damage)}</td>
                      <td data-testid="compensation-status">
                        <span className={`status ${v.compensation.status}`}>
                          {t(`fraud.damage.status.${v.compensation.status}` as MessageKey)}
                        </span>
                        {v.compensation.paidAt && (
                          <>
                            {' '}
                            {t('fraud.damage.paidDetail', {
                              reimbursed: formatYen(v.compensation.reimbursed ?? 0),
                              reversed: formatYen(v.compensation.reversed ?? 0),
                            })}{' '}
                            <When at={v.compensation.paidAt} />
                          </>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
        </>
      )}
    </section>
  );
}

/** The figures over sandbox time: a chart, and the same numbers as a table. */
function Timeline({ report, timeZone }: { report: DamageReport; timeZone?: string }) {
  const { t } = useLanguage();
  // Polling brings a new report each time: the chart is redrawn only when its figures change.
  const figures = JSON.stringify(report.timeline);
  const { times, series } = useMemo(() => {
    const timeline = JSON.parse(figures) as DamageReport['timeline'];
    return {
      times: timeline.map((p) => p.at),
      series: [
        { label: t('fraud.damage.damage'), values: timeline.map((p) => p.damage), color: '#a3121c' },
        { label: t('fraud.damage.compensatedYen'), values: timeline.map((p) => p.compensated), color: '#17663a' },
      ],
    };
  }, [figures, t]);
  const last = report.timeline.at(-1);
  const summary = t('fraud.damage.chartSummary', {
    points: report.timeline.length,
    damage: formatYen(last?.damage ?? 0),
    compensated: formatYen(last?.compensated ?? 0),
  });
  return (
    <>
      <h4>{t('fraud.damage.overTime')}</h4>
      <TimeChart times={times} series={series} summary={summary} timeZone={timeZone} />
      <details className="timeline-numbers">
        <summary>{t('fraud.damage.numbers')}</summary>
        <table className="fraud-table" data-testid="damage-timeline">
          <thead>
            <tr>
              <th scope="col">{t('fraud.case.at')}</th>
              <th scope="col">{t('fraud.damage.victims')}</th>
              <th scope="col">{t('fraud.damage.damage')}</th>
              <th scope="col">{t('fraud.damage.compensatedYen')}</th>
            </tr>
          </thead>
          <tbody>
            {report.timeline.map((p) => (
              <tr key={p.at}>
                <td>
                  <When at={p.at} />
                </td>
                <td className="number">{p.victims}</td>
                <td className="number">{formatYen(p.damage)}</td>
                <td className="number">{formatYen(p.compensated)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}
