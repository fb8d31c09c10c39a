import { useLanguage } from '../../i18n/index.js';

/** The live event stream, deliveries, endpoints and fault injection. */
export default function EventsRoom() {
  const { t } = useLanguage();
  return (
    <section className="panel operator-room" aria-labelledby="room-heading">
      <h2 id="room-heading">{t('operator.room.events')}</h2>
    </section>
  );
}
