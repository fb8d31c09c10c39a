import { useState } from 'react';
import { answer } from '../../api.js';
import { CameraScan } from '../../components/camera-scan.js';
import { useCounter } from '../../components/counter.js';
import { ProblemView } from '../../components/problem-view.js';
import { useAction } from '../../components/use-action.js';
import { formatTime, formatYen, sandboxTimeZone, useLanguage } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { useWallet } from '../wallet-session.js';
import { type Payment, keyed, walletChanged } from './money-api.js';
import { type StoreQr, readStoreQr } from './store-qr.js';

/** Pay a store's QR: scanned by the camera, picked from a register on this page, or pasted; confirmed; then the receipt. */
export function StoreCodePay() {
  const { t } = useLanguage();
  const wallet = useWallet();
  const shown = useCounter('store-code');
  const [payload, setPayload] = useState('');
  const [receipt, setReceipt] = useState<{ payment: Payment; store: StoreQr } | null>(null);
  const store = payload ? readStoreQr(payload) : null;

  if (receipt) return <Receipt {...receipt} onDone={() => (setReceipt(null), setPayload(''))} />;

  return (
    <section className="store-pay" aria-labelledby={`store-pay-${wallet.slot}`}>
      <h3 id={`store-pay-${wallet.slot}`}>{t('money.store.heading')}</h3>
      {shown.length > 0 && (
        <div className="counter-codes">
          <p>{t('money.store.onCounter')}</p>
          {shown.map((code) => {
            const qr = readStoreQr(code.value);
            return (
              <button key={code.from} type="button" className="secondary" onClick={() => setPayload(code.value)}>
                {t('money.store.scanThis', { store: qr?.storeName ?? code.from, amount: qr?.amount ? formatYen(qr.amount) : '' })}
              </button>
            );
          })}
        </div>
      )}
      <CameraScan aim={t('money.scan.aim')} onRead={setPayload} />
      <label>
        {t('money.store.payload')}
        <textarea rows={3} spellCheck={false} value={payload} onChange={(event) => setPayload(event.target.value.trim())} />
      </label>
      {payload && !store && (
        <p className="notice warning" role="status">
          {t('money.store.notStoreQr')}
        </p>
      )}
      {store && <ConfirmPayment key={payload} payload={payload} store={store} onPaid={(payment) => setReceipt({ payment, store })} />}
    </section>
  );
}

function ConfirmPayment({ payload, store, onPaid }: { payload: string; store: StoreQr; onPaid: (payment: Payment) => void }) {
  const { t } = useLanguage();
  const wallet = useWallet();
  const [amount, setAmount] = useState(store.amount ?? 0);
  const pay = useAction(async () => {
    const body = store.amount === null ? { payload, amount } : { payload };
    const payment = await wallet.withStepUp(() => answer(wallet.api().POST('/v1/wallet/pay-store-code', { body, ...keyed() })));
    walletChanged(wallet.slot);
    onPaid(payment as unknown as Payment);
  });
  return (
    <form
      className="confirm stack"
      data-testid="confirm-store"
      onSubmit={(event) => {
        event.preventDefault();
        void pay.run();
      }}
    >
      <dl className="facts">
        <dt>{t('money.store.store')}</dt>
        <dd>
          {store.storeName}
          {store.city && <span className="choice-detail"> · {store.city}</span>}
        </dd>
        {store.amount !== null && (
          <>
            <dt>{t('money.amount')}</dt>
            <dd>{formatYen(store.amount)}</dd>
          </>
        )}
      </dl>
      {store.amount === null && (
        <label>
          {t('money.store.amountStatic')}
          <input
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            required
            value={amount || ''}
            onChange={(e) => setAmount(Number(e.target.value))}
          />
        </label>
      )}
      <div className="actions">
        <button type="submit" disabled={pay.busy}>
          {t('money.store.pay', { amount: amount > 0 ? formatYen(amount) : '', store: store.storeName })}
        </button>
      </div>
      <ProblemView problem={pay.problem} />
    </form>
  );
}

function Receipt({ payment, store, onDone }: { payment: Payment; store: StoreQr; onDone: () => void }) {
  const { t, language } = useLanguage();
  const { sandbox } = useSession();
  return (
    <section className="receipt" aria-labelledby={`receipt-${payment.id}`} data-testid="receipt">
      <h3 id={`receipt-${payment.id}`}>{t('money.receipt.heading')}</h3>
      <p className="receipt-amount">{formatYen(payment.amount)}</p>
      <dl className="facts">
        <dt>{t('money.store.store')}</dt>
        <dd>{store.storeName}</dd>
        <dt>{t('money.receipt.time')}</dt>
        <dd>
          <time dateTime={payment.createdAt}>{formatTime(payment.createdAt, language, sandboxTimeZone(sandbox.clock.now))}</time>
        </dd>
        {payment.cashDue > 0 && (
          <>
            <dt>{t('money.receipt.cashDue')}</dt>
            <dd>{formatYen(payment.cashDue)}</dd>
          </>
        )}
        <dt>{t('money.receipt.id')}</dt>
        <dd>
          <code>{payment.id}</code>
        </dd>
      </dl>
      <div className="actions">
        <button type="button" onClick={onDone}>
          {t('money.receipt.done')}
        </button>
      </div>
    </section>
  );
}
