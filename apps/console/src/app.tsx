import { useState } from 'react';
import { Link, Redirect, Route, Router, Switch } from 'wouter';
import { ProblemView } from './components/problem-view.js';
import { LanguageSwitch, SandboxHeader } from './components/sandbox-header.js';
import { useAction } from './components/use-action.js';
import { InboxPanel } from './inbox/inbox-panel.js';
import { LanguageProvider, useLanguage } from './i18n/index.js';
import { RegisterPanel } from './register/register-panel.js';
import { type Problem } from './api.js';
import { OperatorRooms } from './operator/operator-rooms.js';
import { SessionProvider, type StoredKeys, enterSandbox, useSession } from './session.js';
import { SideBySide } from './side-by-side.js';
import { ResetPasswordPage } from './wallet/reset-password-page.js';
import { WalletPanel } from './wallet/wallet-panel.js';

export function App() {
  return (
    <LanguageProvider>
      <Router base="/console">
        <SessionProvider fallback={(state) => <EnterPage {...state} />}>
          <Shell />
        </SessionProvider>
      </Router>
    </LanguageProvider>
  );
}

function Shell() {
  const { t } = useLanguage();
  const session = useSession();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <SandboxHeader />
      <nav className="main-nav" aria-label={t('nav.main')}>
        <Link href="/wallet">{t('nav.wallet')}</Link>
        <Link href="/register">{t('nav.register')}</Link>
        <Link href="/inbox">{t('nav.inbox')}</Link>
        <Link href="/side-by-side">{t('nav.sideBySide')}</Link>
        <Link href="/operator">{t('nav.operator')}</Link>
        <span className="spacer" />
        <LanguageSwitch />
        <button type="button" onClick={session.leave}>
          {t('nav.leave')}
        </button>
      </nav>
      <main id="main" tabIndex={-1}>
        <Switch>
          <Route path="/wallet">
            <WalletPanel slot="a" />
          </Route>
          <Route path="/register">
            <RegisterPanel />
          </Route>
          <Route path="/inbox">
            <InboxPanel />
          </Route>
          <Route path="/side-by-side">
            <SideBySide />
          </Route>
          <Route path="/operator" nest>
            <OperatorRooms />
          </Route>
          <Route path="/reset-password">
            <ResetPasswordPage />
          </Route>
          <Route>
            <Redirect to="/wallet" />
          </Route>
        </Switch>
      </main>
    </>
  );
}

function EnterPage({ problem, loading, entered }: { problem: Problem | null; loading: boolean; entered: (keys: StoredKeys) => void }) {
  const { t } = useLanguage();
  const [secretKey, setSecretKey] = useState('');
  const enter = useAction(async (key: string) => entered(await enterSandbox(key)));
  return (
    <main id="main" className="enter-page">
      <div className="enter-top">
        <LanguageSwitch />
      </div>
      <h1>{t('app.title')}</h1>
      <p className="tagline">{t('app.tagline')}</p>
      {loading ? (
        <p role="status">{t('common.loading')}</p>
      ) : (
        <form
          className="card"
          onSubmit={(event) => {
            event.preventDefault();
            void enter.run(secretKey.trim());
          }}
        >
          <h2>{t('enter.heading')}</h2>
          <p>{t('enter.explain')}</p>
          <label>
            {t('enter.secretKey')}
            <input
              type="password"
              autoComplete="off"
              spellCheck={false}
              required
              pattern="sk_test_[0-9A-Za-z]{32}"
              value={secretKey}
              onChange={(event) => setSecretKey(event.target.value)}
            />
          </label>
          <button type="submit" disabled={enter.busy}>
            {t('enter.submit')}
          </button>
          <p className="hint">{t('enter.hint')}</p>
          <ProblemView problem={enter.problem ?? problem} />
        </form>
      )}
    </main>
  );
}
