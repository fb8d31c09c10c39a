import { useLanguage } from '../../i18n/index.js';

/** The service phases as a timeline, their transitions and the forced password reset. */
export default function ServiceRoom() {
  const { t } = useLanguage();
  return (
    <section className="panel operator-room" aria-labelledby="room-heading">
      <h2 id="room-heading">{t('operator.room.service')}</h2>
    </section>
  );
}
