import { type FormEvent, useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'wouter';
import { type Problem, ProblemError } from '../../api.js';
import { ProblemView } from '../../components/problem-view.js';
import { TableScroll } from '../../components/table-scroll.js';
import { TimeChart } from '../../components/time-chart.js';
import { useAction } from '../../components/use-action.js';
import { type MessageKey, formatTime, formatYen, useLanguage } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { read, useOperatorApi } from '../fraud/shared.js';
import type { Schemas } from '@wallet-sandbox/client';

type Replay = Schemas['ReplayDto'];
type Started = Schemas['StartedReplayDto'];

/** The console reads the replay about every second while it runs, and no more once it ended. */
const POLL_MS = 1_000;
const JST = 'Asia/Tokyo';

/**
 * The replay as the api last answered, read again every second until it
 * ends (or while none is recorded, so one attached from the CLI shows up).
 * What is shown changes only when an answer comes: the form never flickers.
 */
function useReplay() {
  const api = useOperatorApi();
  const [state, setState] = useState<{ replay: Replay | null; problem: Problem | null }>({ replay: null, problem: null });
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      let next: { replay: Replay | null; problem: Problem | null };
      try {
        next = { replay: await read<Replay>(api.GET('/v1/sandbox/replay')), problem: null };
      } catch (error) {
        if (!(error instanceof ProblemError)) throw error;
        next = { replay: null, problem: error.problem };
      }
      if (stopped) return;
      setState(next);
      if (!next.replay || next.replay.status === 'running') timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [api]);
  return state;
}

/** The 2019 replay on screen: start one (its own sandbox, run by the api), then watch it to its reconciled end. */
export default function ReplayRoom() {
  const { t } = useLanguage();
  const { replay, problem } = useReplay();
  const none = problem?.code === 'no_replay';
  return (
    <section className="panel operator-room replay-room" aria-labelledby="room-heading">
      <h2 id="room-heading">{t('operator.room.replay')}</h2>
      <p className="muted">{t('replay.explain')}</p>
      {none ? <p data-testid="no-replay">{t('replay.none')}</p> : <ProblemView problem={problem} />}
      {replay && <ReplayView replay={replay} />}
      {(none || (replay && replay.status !== 'running')) && <StartReplay />}
    </section>
  );
}

function StartReplay() {
  const { t } = useLanguage();
  const api = useOperatorApi();
  const session = useSession();
  const [customers, setCustomers] = useState(100);
  const [pace, setPace] = useState<'fast' | 'presenter'>('fast');
  const start = useAction(
    useCallback(async () => {
      const started = await read<Started>(api.POST('/v1/replays', { body: { customers, pace } }));
      session.enter({ secretKey: started.sandbox.secretKey, publishableKey: started.sandbox.publishableKey });
    }, [api, customers, pace, session]),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void start.run();
  };
  return (
    <section className="replay-section" aria-labelledby="start-heading">
      <h3 id="start-heading">{t('replay.start.heading')}</h3>
      <form className="replay-start" onSubmit={submit}>
        <label>
          {t('replay.start.customers')}
          <input
            type="number"
            name="customers"
            min={20}
            max={600}
            step={1}
            required
            value={customers}
            onChange={(event) => setCustomers(Number(event.target.value))}
          />
        </label>
        <label>
          {t('replay.start.pace')}
          <select name="pace" value={pace} onChange={(event) => setPace(event.target.value as 'fast' | 'presenter')}>
            <option value="fast">{t('replay.start.pace.fast')}</option>
            <option value="presenter">{t('replay.start.pace.presenter')}</option>
          </select>
        </label>
        <button type="submit" disabled={start.busy}>
          {t('replay.start.submit')}
        </button>
      </form>
      <ProblemView problem={start.problem} />
    </section>
  );
}

function ReplayView({ replay }: { replay: Replay }) {
  const { t, language } = useLanguage();
  const { sandbox, refresh } = useSession();
  // The header's clock and phase follow the story, chapter by chapter.
  useEffect(() => {
    void refresh();
  }, [replay.chapter, replay.status, refresh]);
  const c = replay.counters;
  const counters: Array<[MessageKey, string, string]> = [
    ['replay.counter.signUps', 'signUps', c.signUps.toLocaleString('en-US')],
    ['replay.counter.victims', 'victims', c.victims.toLocaleString('en-US')],
    ['replay.counter.damage', 'damage', formatYen(c.damage)],
    ['replay.counter.refundsPaid', 'refundsPaid', formatYen(c.refundsPaid)],
    ['replay.counter.unclaimed', 'unclaimed', formatYen(c.unclaimed)],
  ];
  return (
    <section className="replay-section" aria-labelledby="watch-heading" data-status={replay.status}>
      <h3 id="watch-heading">{t('replay.watch.heading')}</h3>
      {replay.status === 'running' && (
        <p className="notice" role="status">
          {t('replay.start.switched', { id: sandbox.id })}
        </p>
      )}
      {replay.status === 'lost' && (
        <p className="problem" role="alert">
          {t('replay.lost')}
        </p>
      )}
      {replay.status === 'failed' && (
        <p className="problem" role="alert">
          {t('replay.failed', { failure: replay.failure ?? '—' })}
        </p>
      )}
      <dl className="fraud-facts replay-facts">
        <div>
          <dt>{t('replay.status')}</dt>
          <dd>
            <span className={`status ${replay.status}`} data-testid="replay-status">
              {t(`replay.status.${replay.status}` as MessageKey)}
            </span>
          </dd>
        </div>
        <div>
          <dt>{t('replay.chapter')}</dt>
          <dd data-testid="replay-chapter">{replay.chapter ?? '—'}</dd>
        </div>
        <div>
          <dt>{t('replay.sandboxDate')}</dt>
          <dd data-testid="replay-date">
            {replay.sandboxAt ? <time dateTime={replay.sandboxAt}>{formatTime(replay.sandboxAt, language, JST)}</time> : '—'}
          </dd>
        </div>
        <div>
          <dt>{t('replay.size')}</dt>
          <dd>
            {replay.customers} · {replay.seed} · {t(`replay.pace.${replay.pace}` as MessageKey)}
          </dd>
        </div>
      </dl>
      <dl className="fraud-facts damage-totals replay-counters" data-testid="replay-counters">
        {counters.map(([label, name, value]) => (
          <div key={name}>
            <dt>{t(label)}</dt>
            <dd data-counter={name}>{value}</dd>
          </div>
        ))}
      </dl>
      <p>
        <Link href="/fraud">{t('replay.fraudLink')}</Link>
      </p>
      <Chart points={replay.points} />
      {replay.report && <Report rows={replay.report} />}
    </section>
  );
}

function Chart({ points }: { points: Replay['points'] }) {
  const { t } = useLanguage();
  // Each poll brings the points anew: the chart is redrawn only when they change.
  const figures = JSON.stringify(points);
  const { times, series } = useMemo(() => {
    const all = JSON.parse(figures) as Replay['points'];
    return {
      times: all.map((p) => p.at),
      series: [
        { label: t('replay.counter.damage'), values: all.map((p) => p.damage), color: '#a3121c' },
        { label: t('replay.counter.refundsPaid'), values: all.map((p) => p.refundsPaid), color: '#17663a' },
        { label: t('replay.counter.unclaimed'), values: all.map((p) => p.unclaimed), color: '#1f4fa3' },
      ],
    };
  }, [figures, t]);
  if (points.length === 0) return null;
  const last = points[points.length - 1];
  const summary = t('replay.chart.summary', {
    points: points.length,
    damage: formatYen(last.damage),
    refunds: formatYen(last.refundsPaid),
    unclaimed: formatYen(last.unclaimed),
  });
  return (
    <>
      <h4>{t('replay.chart.heading')}</h4>
      <TimeChart times={times} series={series} summary={summary} timeZone={JST} />
    </>
  );
}

function Report({ rows }: { rows: NonNullable<Replay['report']> }) {
  const { t } = useLanguage();
  const ok = rows.every((row) => row.ok);
  return (
    <section aria-labelledby="report-heading">
      <h4 id="report-heading">{t('replay.report.heading')}</h4>
      <p className="muted">{t('replay.report.explain')}</p>
      <p className={`outcome ${ok ? 'ok' : 'bad'}`} data-testid="replay-outcome">
        {t(ok ? 'replay.report.allOk' : 'replay.report.notOk')}
      </p>
      <TableScroll labelledBy="report-heading">
        <table className="fraud-table replay-report" data-testid="replay-report">
          <thead>
            <tr>
              <th scope="col">{t('replay.report.figure')}</th>
              <th scope="col">{t('replay.report.reports')}</th>
              <th scope="col">{t('replay.report.ledger')}</th>
              <th scope="col">{t('replay.report.replay')}</th>
              <th scope="col">{t('replay.report.ok')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.figure} data-ok={row.ok}>
                <th scope="row">{row.figure}</th>
                <td className="number">{row.report ?? '—'}</td>
                <td className="number">{row.ledger ?? '—'}</td>
                <td className="number">{row.replay ?? '—'}</td>
                <td className={`status ${row.ok ? 'succeeded' : 'failed'}`}>{t(row.ok ? 'replay.report.yes' : 'replay.report.no')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}
