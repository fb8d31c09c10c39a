import { useState } from 'react';
import { useLanguage } from '../../i18n/index.js';
import { useWallet } from '../wallet-session.js';
import { PaymentCodeCard } from './payment-code-card.js';
import { StoreCodePay } from './store-code-pay.js';

/** Paying: show the payment code to the register (CPM), or pay a store's QR (MPM). */
export function PayView() {
  const { t } = useLanguage();
  const wallet = useWallet();
  const [mode, setMode] = useState<'code' | 'store'>('code');
  return (
    <div className="money-screen">
      <div className="segmented" role="group" aria-label={t('money.pay.how')}>
        <button type="button" className="tab" aria-pressed={mode === 'code'} onClick={() => setMode('code')}>
          {t('money.pay.showCode')}
        </button>
        <button type="button" className="tab" aria-pressed={mode === 'store'} onClick={() => setMode('store')}>
          {t('money.pay.storeQr')}
        </button>
      </div>
      {mode === 'code' ? <PaymentCodeCard key={wallet.slot} /> : <StoreCodePay />}
    </div>
  );
}
