import { useLanguage } from '../i18n/index.js';

/** The customer's phone: one wallet app on one device (slot names the device kept in this browser). */
export function WalletPanel({ slot }: { slot: string }) {
  const { t } = useLanguage();
  return (
    <section className="panel phone" aria-label={t('wallet.heading')} data-slot={slot}>
      <h2>{t('wallet.heading')}</h2>
    </section>
  );
}
