import type { Schemas } from '@wallet-sandbox/client';
import { useCallback, useState } from 'react';
import { answer, client, idempotencyKey } from '../../api.js';
import type { Problem } from '../../api.js';
import { ProblemView } from '../../components/problem-view.js';
import { useAction } from '../../components/use-action.js';
import { type MessageKey, formatTime, sandboxTimeZone, useLanguage } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { useRead } from '../home/use-read.js';
import { SEVEN_PAY_2019, claimDays, defaultNotice, endOfJstDay, jstLocalToIso, startOfJstDay } from './dates.js';

const PHASES = ['operating', 'card_topup_suspended', 'topup_suspended', 'abolition_announced', 'terminated', 'refund_window', 'closed'];
/** The phases an operator sets by hand; the later ones follow the abolition notice's dates. */
const BY_HAND = ['card_topup_suspended', 'topup_suspended'] as const;

type ServiceView = Schemas['ServiceViewDto'];

/** The service phases as a timeline, their transitions and the forced password reset. */
export default function ServiceRoom() {
  const { t } = useLanguage();
  const session = useSession();
  const { secretKey, sandbox } = session;
  const read = useRead(
    useCallback(async () => (await answer(client({ token: secretKey }).GET('/v1/service'))) as unknown as ServiceView, [secretKey]),
    sandbox.clock.now,
  );
  const [reason, setReason] = useState('');
  const [at, setAt] = useState('');
  const moved = async () => {
    await read.reload();
    await session.refresh();
  };
  const transition = useAction(async (body: Record<string, string>) => {
    await answer(
      client({ token: secretKey }).POST('/v1/service/transitions', {
        body: { ...(reason.trim() ? { reason: reason.trim() } : {}), ...body } as never,
        headers: { 'Idempotency-Key': idempotencyKey() },
      }),
    );
    setReason('');
    setAt('');
    await moved();
  });
  const service = read.data;
  const furthest = service ? PHASES.indexOf(service.schedule.at(-1)?.to ?? 'operating') : 0;
  const replaying2019 = new Date(sandbox.clock.now).getUTCFullYear() <= 2019;
  return (
    <section className="panel operator-room service-room" aria-labelledby="room-heading">
      <h2 id="room-heading">{t('operator.room.service')}</h2>
      <ProblemView problem={read.problem} />
      {service && (
        <>
          <Timeline service={service} replaying2019={replaying2019} />
          {service.notice && <NoticeView notice={service.notice} />}
          <section aria-labelledby="transitions-heading" className="transitions">
            <h3 id="transitions-heading">{t('service.transitions')}</h3>
            {PHASES.indexOf('abolition_announced') > furthest && (
              <label>
                {t('service.reason')}
                <input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
              </label>
            )}
            {BY_HAND.some((to) => PHASES.indexOf(to) > furthest) && (
              <label>
                {t('service.at')}
                <input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
              </label>
            )}
            <div className="actions">
              {BY_HAND.filter((to) => PHASES.indexOf(to) > furthest).map((to) => (
                <button
                  key={to}
                  type="button"
                  disabled={transition.busy}
                  onClick={() => void transition.run({ to, ...(at ? { effectiveAt: jstLocalToIso(at) } : {}) })}
                >
                  {t(`service.to.${to}` as MessageKey, { when: at ? at.replace('T', ' ') : t('service.now') })}
                </button>
              ))}
            </div>
            {PHASES.indexOf('abolition_announced') > furthest ? (
              <AbolitionForm busy={transition.busy} onAnnounce={(body) => void transition.run(body)} />
            ) : (
              <p className="hint">{t('service.noMoreByHand')}</p>
            )}
            <TransitionProblem problem={transition.problem} />
          </section>
          <ForcedReset />
        </>
      )}
    </section>
  );
}

function Timeline({ service, replaying2019 }: { service: ServiceView; replaying2019: boolean }) {
  const { t, language } = useLanguage();
  const { sandbox } = useSession();
  const zone = sandboxTimeZone(sandbox.clock.now);
  const current = PHASES.indexOf(service.phase);
  return (
    <section aria-labelledby="timeline-heading">
      <h3 id="timeline-heading">{t('service.timeline')}</h3>
      {replaying2019 && <p className="hint">{t('service.sevenPayHint')}</p>}
      <ol className="service-timeline">
        {PHASES.map((phase, index) => {
          const step = service.schedule.find((s) => s.to === phase);
          const state =
            index === current
              ? 'current'
              : index < current
                ? step || index === 0
                  ? 'past'
                  : 'skipped'
                : step
                  ? 'scheduled'
                  : 'unscheduled';
          return (
            <li key={phase} className={`timeline-step ${state}`} data-testid={`phase-${phase}`} data-state={state}>
              <strong>{t(`phase.${phase}` as MessageKey)}</strong>
              <span className="badge">{t(`service.state.${state}` as MessageKey)}</span>
              {step && (
                <span>
                  <time dateTime={step.effectiveAt}>{formatTime(step.effectiveAt, language, zone)}</time>
                  {step.reason && <span className="muted"> — {step.reason}</span>}
                </span>
              )}
              {replaying2019 && SEVEN_PAY_2019[phase] && (
                <span className="muted seven-pay">{t('service.sevenPayDate', { date: SEVEN_PAY_2019[phase] })}</span>
              )}
            </li>
          );
        })}
      </ol>
      {replaying2019 && (
        <ul className="seven-pay-notes muted">
          <li>{t('service.sevenPay.externalIds')}</li>
          <li>{t('service.sevenPay.reset')}</li>
        </ul>
      )}
    </section>
  );
}

function AbolitionForm({ busy, onAnnounce }: { busy: boolean; onAnnounce: (body: Record<string, string>) => void }) {
  const { t } = useLanguage();
  const { sandbox } = useSession();
  const [draft, setDraft] = useState(() => defaultNotice(new Date(sandbox.clock.now)));
  const complete = Boolean(draft.terminationDay && draft.claimsFromDay && draft.claimsUntilDay);
  const days = complete ? claimDays(draft.claimsFromDay, draft.claimsUntilDay) : null;
  const field = (key: keyof typeof draft, label: MessageKey) => (
    <label>
      {t(label)}
      <input type="date" required value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />
    </label>
  );
  return (
    <form
      className="abolition-form"
      aria-labelledby="abolition-heading"
      onSubmit={(event) => {
        event.preventDefault();
        if (!complete) return;
        onAnnounce({
          to: 'abolition_announced',
          terminationAt: endOfJstDay(draft.terminationDay).toISOString(),
          refundClaimsFrom: startOfJstDay(draft.claimsFromDay).toISOString(),
          refundClaimsUntil: endOfJstDay(draft.claimsUntilDay).toISOString(),
        });
      }}
    >
      <h4 id="abolition-heading">{t('service.abolition')}</h4>
      <p className="hint">{t('service.abolitionHint')}</p>
      {field('terminationDay', 'service.terminationDay')}
      {field('claimsFromDay', 'service.claimsFromDay')}
      {field('claimsUntilDay', 'service.claimsUntilDay')}
      {days !== null && (
        <p data-testid="claim-days" className={days < 60 ? 'short' : ''}>
          {t('service.claimDays', { days })}
        </p>
      )}
      <button type="submit" disabled={busy || !complete}>
        {t('service.announce')}
      </button>
    </form>
  );
}

/** The API's refusal, and for the 60-day rule the law behind it in words. */
function TransitionProblem({ problem }: { problem: Problem | null }) {
  const { t } = useLanguage();
  if (!problem) return null;
  return (
    <>
      {problem.code === 'notice_period_too_short' && (
        <p className="law" data-testid="law">
          {t('service.law', { minimum: String(problem.minimumDays ?? 60), days: String(problem.days ?? '?') })}
        </p>
      )}
      <ProblemView problem={problem} />
    </>
  );
}

function NoticeView({ notice }: { notice: NonNullable<ServiceView['notice']> }) {
  const { t } = useLanguage();
  return (
    <section aria-labelledby="notice-heading" className="notice-view" data-testid="notice">
      <h3 id="notice-heading">{t('service.notice')}</h3>
      <p>
        <strong>{notice.title}</strong>
      </p>
      <p className="notice-body">{notice.body}</p>
      <p className="muted">
        {notice.deliveredToAll
          ? t('service.deliveredAll', { count: notice.delivered })
          : t('service.delivered', { count: notice.delivered })}
      </p>
    </section>
  );
}

function ForcedReset() {
  const { t, language } = useLanguage();
  const { secretKey, sandbox } = useSession();
  const [reason, setReason] = useState('');
  const [forcedAt, setForcedAt] = useState<string | null>(null);
  const reset = useAction(async () => {
    const body = reason.trim() ? { reason: reason.trim() } : {};
    const answered = await answer(
      client({ token: secretKey }).POST('/v1/service/password-reset', {
        body: body as never,
        headers: { 'Idempotency-Key': idempotencyKey() },
      }),
    );
    setForcedAt((answered as unknown as { forcedAt: string }).forcedAt);
  });
  return (
    <section aria-labelledby="reset-heading" className="forced-reset">
      <h3 id="reset-heading">{t('service.reset')}</h3>
      <p className="hint">{t('service.resetHint')}</p>
      <label>
        {t('service.resetReason')}
        <input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      </label>
      <button type="button" className="danger" disabled={reset.busy} onClick={() => void reset.run()}>
        {t('service.resetButton')}
      </button>
      {forcedAt && (
        <p role="status" data-testid="reset-done">
          {t('service.resetDone', { time: formatTime(forcedAt, language, sandboxTimeZone(sandbox.clock.now)) })}
        </p>
      )}
      <ProblemView problem={reset.problem} />
    </section>
  );
}
