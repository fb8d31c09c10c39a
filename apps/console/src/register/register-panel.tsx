import { useLanguage } from '../i18n/index.js';

/** The store's register: scan a customer's code, take the payment, refund it. */
export function RegisterPanel() {
  const { t } = useLanguage();
  return (
    <section className="panel register" aria-label={t('register.heading')}>
      <h2>{t('register.heading')}</h2>
    </section>
  );
}
