import { useCallback, useEffect, useMemo, useState } from 'react';
import { answer } from '../../api.js';
import { ProblemView } from '../../components/problem-view.js';
import { TimeChart } from '../../components/time-chart.js';
import { useAction } from '../../components/use-action.js';
import { type MessageKey, formatYen, sandboxTimeZone, useLanguage } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { When, useOperatorApi, usePolled } from '../fraud/shared.js';
import { ListTable, RowButton } from './list-table.js';
import { usePaged } from './paged.js';
import type { PayoutRun } from './types.js';

const LIST_POLL_MS = 2000;
/** How often a running run's progress is read. */
const PROGRESS_POLL_MS = 1000;

/** Payout runs, newest first; a new one started by hand; the one watched shows its progress live. */
export function PayoutRunsView() {
  const { t } = useLanguage();
  const api = useOperatorApi();
  const readPage = useCallback(
    (after: string | undefined) =>
      answer(api.GET('/v1/payout-runs', { params: { query: { limit: 10, ...(after ? { starting_after: after } : {}) } } })),
    [api],
  );
  const runs = usePaged(readPage, runId, LIST_POLL_MS);
  const [watched, setWatched] = useState<string | null>(null);
  const start = useAction(
    useCallback(async () => {
      const run = await answer(api.POST('/v1/payout-runs'));
      setWatched(run.id);
      void runs.reload();
    }, [api, runs]),
  );
  const list = runs.value?.data ?? [];
  const shown = watched ?? list[0]?.id ?? null;
  return (
    <section className="refund-section" aria-labelledby="runs-heading">
      <div className="section-head">
        <h3 id="runs-heading">{t('refunds.runs.heading')}</h3>
        <button type="button" disabled={start.busy} onClick={() => void start.run()}>
          {t('refunds.runs.start')}
        </button>
      </div>
      <p className="muted">{t('refunds.runs.explain')}</p>
      <ProblemView problem={start.problem ?? runs.problem} />
      {shown && <RunProgressView key={shown} runId={shown} onCompleted={runs.reload} />}
      <ListTable
        labelledBy="runs-heading"
        testId="runs-table"
        list={runs.value}
        none={t('refunds.runs.none')}
        columns={[
          { label: t('refunds.runs.started') },
          { label: t('refunds.runs.status') },
          { label: t('refunds.runs.trigger') },
          { label: t('refunds.runs.paid'), number: true },
          { label: t('refunds.runs.amount'), number: true },
          { label: t('refunds.runs.bounced'), number: true },
          { label: t('refunds.runs.held'), number: true },
        ]}
        action={t('refunds.runs.watch')}
        onMore={runs.more}
      >
        {list.map((run) => (
          <tr key={run.id} data-run={run.id} aria-current={run.id === shown ? 'true' : undefined}>
            <td>
              <When at={run.startedAt} />
            </td>
            <td>
              <span className={`status ${run.status}`}>{t(`refunds.run.${run.status}` as MessageKey)}</span>
            </td>
            <td>{run.trigger}</td>
            <td className="number">{run.paid}</td>
            <td className="number">{formatYen(run.amount)}</td>
            <td className="number">{run.bounced}</td>
            <td className="number">{run.held}</td>
            <td>
              <RowButton
                label={t('refunds.runs.watch')}
                name={t('refunds.runs.watchOne', { id: run.id })}
                onClick={() => setWatched(run.id)}
              />
            </td>
          </tr>
        ))}
      </ListTable>
    </section>
  );
}

const runId = (run: PayoutRun) => run.id;

/** One run's progress, read every second while it runs and no more once it completed or the room closed. */
function RunProgressView({ runId: id, onCompleted }: { runId: string; onCompleted: () => unknown }) {
  const { t } = useLanguage();
  const { sandbox } = useSession();
  const api = useOperatorApi();
  const fetchProgress = useCallback(() => answer(api.GET('/v1/payout-runs/{id}/progress', { params: { path: { id } } })), [api, id]);
  const [completed, setCompleted] = useState(false);
  const progress = usePolled(
    useCallback(async () => {
      const answer = await fetchProgress();
      if (answer.status === 'completed') setCompleted(true);
      return answer;
    }, [fetchProgress]),
    completed ? 0 : PROGRESS_POLL_MS,
  );
  useEffect(() => {
    if (completed) onCompleted();
  }, [completed, onCompleted]);
  const p = progress.value;
  // The chart starts at the run's start with nothing paid.
  const times = useMemo(() => (p ? [p.startedAt, ...p.points.map((point) => point.at)] : []), [p]);
  const series = useMemo(
    () => (p ? [{ label: t('refunds.progress.wallets'), values: [0, ...p.points.map((point) => point.paid)], color: '#1f6feb' }] : []),
    [p, t],
  );
  return (
    <section className="run-progress" aria-labelledby="progress-heading" data-testid="run-progress">
      <h4 id="progress-heading">{t('refunds.progress.heading', { id })}</h4>
      <ProblemView problem={progress.problem} />
      {p && (
        <>
          <div
            className="progress-bar"
            role="progressbar"
            aria-labelledby="progress-heading"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={p.percent}
            aria-valuetext={`${p.percent} %`}
          >
            <div className="progress-fill" style={{ width: `${p.percent}%` }} />
          </div>
          <p role="status" data-testid="progress-words">
            <strong>{p.percent} %</strong> —{' '}
            {t(p.status === 'completed' ? 'refunds.progress.completed' : 'refunds.progress.running', {
              reached: p.paid + p.bounced + p.held,
              payable: p.payable,
            })}
          </p>
          <dl className="fraud-facts">
            <div>
              <dt>{t('refunds.runs.paid')}</dt>
              <dd data-testid="progress-paid">{p.paid}</dd>
            </div>
            <div>
              <dt>{t('refunds.runs.amount')}</dt>
              <dd data-testid="progress-amount">{formatYen(p.amount)}</dd>
            </div>
            <div>
              <dt>{t('refunds.runs.bounced')}</dt>
              <dd>{p.bounced}</dd>
            </div>
            <div>
              <dt>{t('refunds.runs.held')}</dt>
              <dd>{p.held}</dd>
            </div>
            <div>
              <dt>{t('refunds.runs.started')}</dt>
              <dd>
                <When at={p.startedAt} />
              </dd>
            </div>
          </dl>
          {p.points.length === 0 ? (
            <p className="muted">{t('refunds.progress.nonePaid')}</p>
          ) : (
            <TimeChart
              times={times}
              series={series}
              timeZone={sandboxTimeZone(sandbox.clock.now)}
              height={180}
              summary={t('refunds.progress.chart', {
                paid: p.paid,
                amount: formatYen(p.amount),
                points: p.points.length,
              })}
            />
          )}
        </>
      )}
    </section>
  );
}
