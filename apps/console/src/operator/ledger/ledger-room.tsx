import { useLanguage } from '../../i18n/index.js';

/** An account's transfers and the reconciliation report in words. */
export default function LedgerRoom() {
  const { t } = useLanguage();
  return (
    <section className="panel operator-room" aria-labelledby="room-heading">
      <h2 id="room-heading">{t('operator.room.ledger')}</h2>
    </section>
  );
}
