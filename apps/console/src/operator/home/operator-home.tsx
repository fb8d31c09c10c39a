import { useLanguage } from '../../i18n/index.js';

/** Wallets, balances, today's payments and top-ups, holds, claims, reconciliation. */
export default function OperatorHome() {
  const { t } = useLanguage();
  return (
    <section className="panel operator-room" aria-labelledby="room-heading">
      <h2 id="room-heading">{t('operator.room.home')}</h2>
    </section>
  );
}
