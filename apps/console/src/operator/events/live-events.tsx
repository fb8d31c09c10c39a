import { useCallback, useEffect, useMemo, useState } from 'react';
import { answer, client } from '../../api.js';
import { ProblemView } from '../../components/problem-view.js';
import { useAction } from '../../components/use-action.js';
import { formatTime, sandboxTimeZone, useLanguage } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { type SandboxEvent, useEventStream } from './event-stream.js';

type EventType = SandboxEvent['type'];

/** Every event type, for the filter (the compiler checks the list against the API's). */
const EVENT_TYPES = [
  'sandbox.created',
  'sandbox.reset',
  'sandbox.clock_advanced',
  'wallet.created',
  'wallet.funded',
  'ledger.pending_transfer.expired',
  'user.registered',
  'auth.login_succeeded',
  'auth.login_failed',
  'auth.new_device',
  'auth.password_reset_requested',
  'auth.password_reset_completed',
  'auth.password_changed',
  'auth.sessions_ended',
  'auth.contact_changed',
  'payment.authorized',
  'payment.captured',
  'payment.voided',
  'payment.expired',
  'payment.refunded',
  'store.created',
  'store.invalid_codes',
  'card.added',
  'topup.requested',
  'fraud.topup_screened',
  'topup.action_required',
  'topup.authenticated',
  'topup.succeeded',
  'topup.failed',
  'topup.held',
  'fraud.topup_screening_failed',
  'hold.placed',
  'hold.released',
  'fraud.confirmed',
  'fraud.alert_raised',
  'compensation.paid',
  'fraud.step_up_demanded',
  'user.account_closed',
  'service.transition_scheduled',
  'service.phase_changed',
  'service.password_reset_forced',
  'refund_claim.submitted',
  'refund_claim.corrected',
  'refund_claim.held',
  'refund_claim.released',
  'refund_claim.paid',
  'refund_claim.bounced',
  'refund_payout.run_started',
  'refund_payout.run_completed',
  'webhook_endpoint.disabled',
] as const satisfies readonly EventType[];
type Missing = Exclude<EventType, (typeof EVENT_TYPES)[number]>;
const everyType: [Missing] extends [never] ? true : Missing = true;
void everyType;

const PAGE = 50;

/** The sandbox's events, newest first, growing as the stream brings new ones. */
export function LiveEvents({ selected, onSelect }: { selected: string | null; onSelect: (event: SandboxEvent) => void }) {
  const { t, language } = useLanguage();
  const { secretKey, sandbox } = useSession();
  const timeZone = sandboxTimeZone(sandbox.clock.now);
  const [events, setEvents] = useState<SandboxEvent[]>([]);
  const [after, setAfter] = useState<string | null | undefined>(undefined);
  const [type, setType] = useState<EventType | ''>('');
  const [fresh, setFresh] = useState(0);

  const merge = useCallback((incoming: SandboxEvent[]) => {
    setEvents((current) => {
      const known = new Set(current.map((e) => e.id));
      const added = incoming.filter((e) => !known.has(e.id));
      return added.length === 0 ? current : [...current, ...added].sort((a, b) => (a.id < b.id ? 1 : -1));
    });
  }, []);

  const load = useAction(
    useCallback(
      async (only: EventType | '') => {
        const page = await answer(
          client({ token: secretKey }).GET('/v1/events', { params: { query: { limit: PAGE, ...(only ? { type: only } : {}) } } }),
        );
        merge(page.data);
        return page;
      },
      [secretKey, merge],
    ),
  );
  const { run: loadRun } = load;

  useEffect(() => {
    void loadRun('').then((page) => setAfter(page?.data[0]?.id ?? null));
  }, [loadRun]);

  const state = useEventStream(secretKey, after, (event) => {
    merge([event]);
    setFresh((n) => n + 1);
  });

  const shown = useMemo(() => (type ? events.filter((e) => e.type === type) : events), [events, type]);

  return (
    <section className="panel events-live" aria-labelledby="events-live-heading">
      <div className="section-head">
        <h3 id="events-live-heading">{t('events.live.heading')}</h3>
        <span className={`badge stream-state ${state}`} role="status" data-testid="stream-state">
          {t(`events.live.state.${state}`)}
        </span>
      </div>
      <p className="muted">{t('events.live.explain')}</p>
      <label>
        {t('events.live.type')}
        <select
          value={type}
          onChange={(e) => {
            const next = e.target.value as EventType | '';
            setType(next);
            if (next) void loadRun(next);
          }}
        >
          <option value="">{t('events.live.allTypes')}</option>
          {EVENT_TYPES.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <p className="muted" aria-live="polite">
        {t('events.live.count', { shown: shown.length, fresh })}
      </p>
      <ProblemView problem={load.problem} />
      {shown.length === 0 && !load.busy && <p>{t('events.live.none')}</p>}
      <ol className="event-list" aria-label={t('events.live.list')}>
        {shown.map((event) => (
          <li key={event.id}>
            <button
              type="button"
              className="event-row"
              aria-pressed={selected === event.id}
              data-testid="event-row"
              data-event-type={event.type}
              data-event-id={event.id}
              onClick={() => onSelect(event)}
            >
              <strong>{event.type}</strong>
              <code>{event.id}</code>
              <time dateTime={event.createdAt}>{formatTime(event.createdAt, language, timeZone)}</time>
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
