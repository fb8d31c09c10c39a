import { useLanguage } from '../../i18n/index.js';

/** Claims, payout runs, the unclaimed list and the refund report. */
export default function RefundRoom() {
  const { t } = useLanguage();
  return (
    <section className="panel operator-room" aria-labelledby="room-heading">
      <h2 id="room-heading">{t('operator.room.refunds')}</h2>
    </section>
  );
}
