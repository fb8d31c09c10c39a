import { useLanguage } from '../i18n/index.js';

/** Where the e-mailed reset link lands: PUBLIC_URL/reset-password?token=… redirects here. */
export function ResetPasswordPage() {
  const { t } = useLanguage();
  return <h2>{t('wallet.heading')}</h2>;
}
