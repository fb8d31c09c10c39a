import { useLanguage } from '../../i18n/index.js';

/** Holds, alerts, rules and the damage report. */
export default function FraudRoom() {
  const { t } = useLanguage();
  return (
    <section className="panel operator-room" aria-labelledby="room-heading">
      <h2 id="room-heading">{t('operator.room.fraud')}</h2>
    </section>
  );
}
