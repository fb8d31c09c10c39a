import { useCallback, useEffect, useState } from 'react';
import { answer, client } from '../../api.js';
import { ProblemView } from '../../components/problem-view.js';
import { useAction } from '../../components/use-action.js';
import { useLanguage } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { EventDetail } from './event-detail.js';
import type { SandboxEvent } from './event-stream.js';
import { type Endpoint, Endpoints } from './endpoints.js';
import { FaultInjection } from './fault-injection.js';
import { LiveEvents } from './live-events.js';

/** The live event stream, deliveries, endpoints and fault injection. */
export default function EventsRoom() {
  const { t } = useLanguage();
  const { secretKey } = useSession();
  const [selected, setSelected] = useState<SandboxEvent | null>(null);
  const [endpoints, setEndpoints] = useState<Endpoint[]>([]);

  const load = useAction(
    useCallback(async () => {
      const page = await answer(client({ token: secretKey }).GET('/v1/webhook-endpoints', { params: { query: { limit: 100 } } }));
      setEndpoints(page.data);
    }, [secretKey]),
  );
  const { run: reload } = load;
  useEffect(() => {
    void reload();
  }, [reload]);

  return (
    <section className="panel operator-room events-room" aria-labelledby="room-heading">
      <h2 id="room-heading">{t('operator.room.events')}</h2>
      <p className="muted">{t('events.intro')}</p>
      <ProblemView problem={load.problem} />
      <div className="events-grid">
        <LiveEvents selected={selected?.id ?? null} onSelect={setSelected} />
        {selected ? (
          <EventDetail key={selected.id} event={selected} endpoints={endpoints} />
        ) : (
          <section className="panel event-detail empty" aria-label={t('events.detail.heading')}>
            <p className="muted">{t('events.detail.pick')}</p>
          </section>
        )}
      </div>
      <Endpoints endpoints={endpoints} reload={reload} />
      <FaultInjection reload={reload} />
    </section>
  );
}
