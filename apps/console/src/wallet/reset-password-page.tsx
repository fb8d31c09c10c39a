import { useState } from 'react';
import { Link, useSearch } from 'wouter';
import { answer } from '../api.js';
import { ProblemView } from '../components/problem-view.js';
import { useAction } from '../components/use-action.js';
import { useLanguage } from '../i18n/index.js';
import { PasswordField } from './auth/password-field.js';
import { WalletSlotProvider, useWallet } from './wallet-session.js';

/**
 * Where the e-mailed reset link lands: PUBLIC_URL/reset-password?token=…
 * redirects here. It is opened in this browser, so it completes the reset as
 * the wallet app's phone A, whose id the API remembers: that phone gets past
 * a lock strangers may have put on the account.
 */
export function ResetPasswordPage() {
  const { t } = useLanguage();
  return (
    <section className="panel phone" aria-labelledby="reset-heading">
      <WalletSlotProvider slot="a">
        <h2 id="reset-heading">{t('auth.reset.heading')}</h2>
        <ResetForm />
      </WalletSlotProvider>
    </section>
  );
}

function ResetForm() {
  const { t } = useLanguage();
  const wallet = useWallet();
  const token = new URLSearchParams(useSearch()).get('token') ?? '';
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const confirm = useAction(async () => {
    await answer(
      wallet.publicApi.POST('/v1/auth/password-reset/confirm', { body: { token, newPassword: password, deviceId: wallet.deviceId } }),
    );
    setDone(true);
    // The token is spent: keep it out of the address bar and the history.
    history.replaceState(null, '', window.location.pathname);
  });
  if (done) {
    return (
      <div className="auth-form">
        <p role="status" className="notice ok">
          {t('auth.reset.done')}
        </p>
        <Link href="/wallet">{t('auth.reset.toWallet')}</Link>
      </div>
    );
  }
  if (!token) return <p role="alert">{t('auth.reset.noToken')}</p>;
  return (
    <form
      className="auth-form"
      onSubmit={(event) => {
        event.preventDefault();
        void confirm.run();
      }}
    >
      <p className="hint">{t('auth.reset.explain')}</p>
      <PasswordField label={t('auth.reset.newPassword')} value={password} onChange={setPassword} choosing />
      <button type="submit" disabled={confirm.busy}>
        {t('auth.reset.submit')}
      </button>
      <ProblemView problem={confirm.problem} />
    </form>
  );
}
