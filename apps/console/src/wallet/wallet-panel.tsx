import { useState } from 'react';
import { type MessageKey, useLanguage } from '../i18n/index.js';
import { AccountView } from './account/account-view.js';
import { SignedOut } from './auth/signed-out.js';
import { WalletHome } from './money/wallet-home.js';
import { PayView } from './money/pay-view.js';
import { RefundClaimView } from './money/refund-claim-view.js';
import { TopUpView } from './money/top-up-view.js';
import { WalletSlotProvider, useWallet } from './wallet-session.js';

const TABS: Array<[string, MessageKey]> = [
  ['home', 'wallet.tab.home'],
  ['topup', 'wallet.tab.topup'],
  ['pay', 'wallet.tab.pay'],
  ['account', 'wallet.tab.account'],
  ['refund', 'wallet.tab.refund'],
];

/** The customer's phone: one wallet app on one device; `slot` names the device this browser keeps for it. */
export function WalletPanel({ slot }: { slot: string }) {
  const { t } = useLanguage();
  return (
    <section className="panel phone" aria-label={t('wallet.panel', { slot: slot.toUpperCase() })} data-slot={slot}>
      <WalletSlotProvider slot={slot}>
        <WalletScreens />
      </WalletSlotProvider>
    </section>
  );
}

function WalletScreens() {
  const { t } = useLanguage();
  const wallet = useWallet();
  const [tab, setTab] = useState('home');
  if (!wallet.tokens) return <SignedOut />;
  return (
    <>
      <nav className="wallet-tabs" aria-label={t('wallet.tabs')}>
        {TABS.map(([id, label]) => (
          <button key={id} type="button" className="tab" aria-pressed={tab === id} onClick={() => setTab(id)}>
            {t(label)}
          </button>
        ))}
      </nav>
      <div className="wallet-screen">
        {tab === 'home' && <WalletHome />}
        {tab === 'topup' && <TopUpView />}
        {tab === 'pay' && <PayView />}
        {tab === 'account' && <AccountView />}
        {tab === 'refund' && <RefundClaimView />}
      </div>
    </>
  );
}
