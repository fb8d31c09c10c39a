import { Suspense, lazy } from 'react';
import { Link, Route, Switch } from 'wouter';
import { type MessageKey, useLanguage } from '../i18n/index.js';

// Each room loads when first opened: the phones and the register do not pay for them.
const ROOMS: Array<{ path: string; label: MessageKey; Room: ReturnType<typeof lazy> }> = [
  { path: '/', label: 'operator.room.home', Room: lazy(() => import('./home/operator-home.js')) },
  { path: '/service', label: 'operator.room.service', Room: lazy(() => import('./service/service-room.js')) },
  { path: '/fraud', label: 'operator.room.fraud', Room: lazy(() => import('./fraud/fraud-room.js')) },
  { path: '/refunds', label: 'operator.room.refunds', Room: lazy(() => import('./refunds/refunds-room.js')) },
  { path: '/events', label: 'operator.room.events', Room: lazy(() => import('./events/events-room.js')) },
  { path: '/ledger', label: 'operator.room.ledger', Room: lazy(() => import('./ledger/ledger-room.js')) },
  { path: '/replay', label: 'operator.room.replay', Room: lazy(() => import('./replay/replay-room.js')) },
];

/** The operator's back office: one room per task, each at its own address. */
export function OperatorRooms() {
  const { t } = useLanguage();
  return (
    <>
      <nav className="operator-nav" aria-label={t('operator.nav')}>
        {ROOMS.map(({ path, label }) => (
          <Link key={path} href={path} className={(active: boolean) => (active ? 'active' : '')}>
            {t(label)}
          </Link>
        ))}
      </nav>
      <Suspense fallback={<p role="status">{t('common.loading')}</p>}>
        <Switch>
          {ROOMS.map(({ path, Room }) => (
            <Route key={path} path={path}>
              <Room />
            </Route>
          ))}
        </Switch>
      </Suspense>
    </>
  );
}
