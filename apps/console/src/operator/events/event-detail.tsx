import { useCallback, useEffect, useRef, useState } from 'react';
import type { Schemas } from '@wallet-sandbox/client';
import { answer, client } from '../../api.js';
import { ProblemView } from '../../components/problem-view.js';
import { TableScroll } from '../../components/table-scroll.js';
import { useAction } from '../../components/use-action.js';
import { formatTime, sandboxTimeZone, useLanguage } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import type { SandboxEvent } from './event-stream.js';

type Attempt = Schemas['AttemptDto'];
type Endpoint = Schemas['EndpointDto'];

/** While an event is open its attempts are read again this often: retries and redeliveries land by themselves. */
const REFRESH_MS = 2_000;

/** One event: its JSON, every attempt to deliver it, and sending it again. */
export function EventDetail({ event, endpoints }: { event: SandboxEvent; endpoints: Endpoint[] }) {
  const { t, language } = useLanguage();
  const { secretKey, sandbox } = useSession();
  const timeZone = sandboxTimeZone(sandbox.clock.now);
  const [attempts, setAttempts] = useState<Attempt[] | null>(null);
  const [target, setTarget] = useState('');
  const [queued, setQueued] = useState<number | null>(null);
  const section = useRef<HTMLElement>(null);
  // Where the list and the event stack (phones, narrow windows), the opened event comes into view.
  useEffect(() => {
    if (window.matchMedia('(max-width: 999px)').matches) section.current?.scrollIntoView({ block: 'start' });
  }, []);

  const read = useAction(
    useCallback(async () => {
      const page = await answer(
        client({ token: secretKey }).GET('/v1/events/{id}/deliveries', { params: { path: { id: event.id }, query: { limit: 100 } } }),
      );
      setAttempts(page.data);
    }, [secretKey, event.id]),
  );
  const { run: readRun } = read;
  useEffect(() => {
    void readRun();
    const timer = setInterval(() => void readRun(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [readRun]);

  const redeliver = useAction(
    useCallback(async () => {
      const result = await answer(
        client({ token: secretKey }).POST('/v1/events/{id}/redeliver', {
          params: { path: { id: event.id } },
          body: target ? { endpointId: target } : {},
        }),
      );
      setQueued(result.deliveries.length);
      await readRun();
    }, [secretKey, event.id, target, readRun]),
  );

  const enabled = endpoints.filter((e) => e.status === 'enabled');
  return (
    <section ref={section} className="panel event-detail" aria-labelledby="event-detail-heading" data-testid="event-detail">
      <h3 id="event-detail-heading">
        {t('events.detail.heading')} <code>{event.type}</code>
      </h3>
      <p className="muted">
        <code>{event.id}</code> · <time dateTime={event.createdAt}>{formatTime(event.createdAt, language, timeZone)}</time>
      </p>
      <details open>
        <summary>{t('events.detail.json')}</summary>
        <pre className="event-json" tabIndex={0} aria-label={t('events.detail.json')}>
          {JSON.stringify(event, null, 2)}
        </pre>
      </details>

      <h4>{t('events.detail.deliveries')}</h4>
      <ProblemView problem={read.problem} />
      {attempts?.length === 0 && <p>{t('events.detail.noDeliveries')}</p>}
      {attempts && attempts.length > 0 && (
        <TableScroll label={t('events.detail.deliveries')}>
          <table className="attempts" data-testid="attempts">
            <thead>
              <tr>
                <th scope="col">{t('events.attempt.time')}</th>
                <th scope="col">{t('events.attempt.endpoint')}</th>
                <th scope="col">{t('events.attempt.trigger')}</th>
                <th scope="col">{t('events.attempt.status')}</th>
                <th scope="col">{t('events.attempt.latency')}</th>
                <th scope="col">{t('events.attempt.response')}</th>
              </tr>
            </thead>
            <tbody>
              {attempts.map((attempt) => (
                <tr key={attempt.id} data-testid="attempt" data-status={attempt.status} data-trigger={attempt.trigger}>
                  <td>
                    <time dateTime={attempt.createdAt}>{formatTime(attempt.createdAt, language, timeZone)}</time>
                  </td>
                  <td className="url">{attempt.url}</td>
                  <td>
                    {attempt.trigger === 'manual' ? t('events.attempt.manual') : t('events.attempt.automatic', { n: attempt.attempt ?? 1 })}
                  </td>
                  <td>
                    <span className={`status ${attempt.status}`}>{t(`events.attempt.${attempt.status}`)}</span>
                    {attempt.httpStatus !== null && <> · HTTP {attempt.httpStatus}</>}
                    {attempt.error && attempt.error !== 'http_status' && (
                      <>
                        {' '}
                        · <code>{attempt.error}</code>
                      </>
                    )}
                    {attempt.nextAttemptAt && (
                      <div className="muted">
                        {t('events.attempt.next', { time: formatTime(attempt.nextAttemptAt, language, timeZone) })}
                      </div>
                    )}
                  </td>
                  <td>{t('events.attempt.ms', { ms: attempt.latencyMs })}</td>
                  <td>
                    <code className="excerpt">{attempt.responseExcerpt ?? '—'}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}

      <form
        className="redeliver"
        onSubmit={(e) => {
          e.preventDefault();
          void redeliver.run();
        }}
      >
        <label>
          {t('events.redeliver.to')}
          <select value={target} onChange={(e) => setTarget(e.target.value)}>
            <option value="">{t('events.redeliver.every')}</option>
            {enabled.map((endpoint) => (
              <option key={endpoint.id} value={endpoint.id}>
                {endpoint.url}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={redeliver.busy}>
          {t('events.redeliver.submit')}
        </button>
        <button type="button" className="secondary" onClick={() => void readRun()}>
          {t('events.detail.refresh')}
        </button>
      </form>
      {queued !== null && (
        <p role="status" className="notice">
          {t('events.redeliver.queued', { n: queued })}
        </p>
      )}
      <ProblemView problem={redeliver.problem} />
    </section>
  );
}
