import { useCallback, useEffect, useState } from 'react';
import { answer } from '../api.js';
import { ProblemView } from '../components/problem-view.js';
import { useAction } from '../components/use-action.js';
import { formatYen, useLanguage } from '../i18n/index.js';
import { CodeScan } from './code-scan.js';
import { Keypad } from './keypad.js';
import { Receipt } from './receipt.js';
import { RecentPayments } from './recent-payments.js';
import { RegisterProvider, useOptionalRegister, useRegister } from './register-session.js';
import { StoreQr } from './store-qr.js';
import { StoreSetup } from './store-setup.js';
import type { Outcome, Payment, StoreCode, Topup } from './types.js';

const FOLLOW_MS = 1000;

/** The store's register: key in the amount, scan the customer's code, take the payment, refund it; show the store's QR; take cash for a top-up. */
export function RegisterPanel() {
  const { t } = useLanguage();
  return (
    <section className="panel register" aria-labelledby="register-heading">
      <RegisterProvider>
        <h2 id="register-heading">{t('register.heading')}</h2>
        <RegisterScreens />
      </RegisterProvider>
    </section>
  );
}

function RegisterScreens() {
  return useOptionalRegister() ? <Till /> : <StoreSetup />;
}

function StoreBar() {
  const { t } = useLanguage();
  const register = useRegister();
  return (
    <div className="store-bar">
      <div>
        <strong data-testid="store-name">{register.storeName}</strong> <code data-testid="store-id">{register.storeId}</code>
        <div className="muted">
          {t('register.terminal', { name: register.terminalName })} · <code>{register.keyHint}</code>
        </div>
      </div>
      <button type="button" className="secondary" onClick={register.forget}>
        {t('register.changeStore')}
      </button>
    </div>
  );
}

/** While a cash top-up is pending, its receipt follows it until the worker settles it. */
function useFollowTopup(outcome: Outcome | null, setOutcome: (update: (current: Outcome | null) => Outcome | null) => void) {
  const register = useRegister();
  const pending = outcome?.kind === 'topup' && outcome.topup.status === 'pending' ? outcome.topup : null;
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(() => {
      void answer(register.api().GET('/v1/topups/{id}', { params: { path: { id: pending.id } } })).then(
        (topup) =>
          setOutcome((current) =>
            current?.kind === 'topup' && current.topup.id === pending.id ? { kind: 'topup', topup: topup as unknown as Topup } : current,
          ),
        () => undefined,
      );
    }, FOLLOW_MS);
    return () => clearTimeout(timer);
  }, [pending, register, setOutcome]);
}

function Till() {
  const { t } = useLanguage();
  const register = useRegister();
  const [amount, setAmount] = useState(0);
  const [code, setCode] = useState('');
  const [allowPartial, setAllowPartial] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [storeCode, setStoreCode] = useState<StoreCode | null>(null);
  const [version, setVersion] = useState(0);
  const act = useAction(async (step: () => Promise<void>) => step());
  useFollowTopup(outcome, setOutcome);

  const record = useCallback((next: Outcome) => {
    setOutcome(next);
    setVersion((n) => n + 1);
  }, []);
  /** A code pays once: the next customer starts from a clean till. */
  const done = () => {
    setCode('');
    setAmount(0);
  };

  const pay = (capture: boolean) =>
    act.run(async () => {
      const body = { code, amount, capture, allowPartial, terminalId: register.terminalId };
      const payment = await register.once({ pay: body }, (headers) => answer(register.api().POST('/v1/payments', { body, headers })));
      record({ kind: 'payment', action: capture ? 'captured' : 'authorized', payment, at: payment.capturedAt ?? payment.createdAt });
      done();
    });
  const topUp = () =>
    act.run(async () => {
      const body = { code, amount };
      const topup = (await register.once({ topup: body }, (headers) =>
        answer(register.api().POST('/v1/register-topups', { body, headers })),
      )) as unknown as Topup;
      record({ kind: 'topup', topup });
      done();
    });
  const showQr = () =>
    act.run(async () => {
      const body = amount > 0 ? { amount, terminalId: register.terminalId } : { terminalId: register.terminalId };
      const issued = (await register.once({ storeCode: body }, (headers) =>
        answer(register.api().POST('/v1/store-codes', { body, headers })),
      )) as unknown as StoreCode;
      setStoreCode(issued);
    });
  const paidByQr = useCallback(
    (payment: Payment) => {
      record({ kind: 'payment', action: 'store-code', payment, at: payment.capturedAt ?? payment.createdAt });
      setAmount(0);
    },
    [record],
  );

  const ready = amount > 0 && code.length > 0;
  const priced = amount > 0 ? formatYen(amount) : '';
  return (
    <div className="till">
      <StoreBar />
      <div className="till-grid">
        <div className="till-input">
          <Keypad amount={amount} onChange={setAmount} />
        </div>
        <div className="till-scan">
          <CodeScan code={code} onChange={setCode} />
          <label className="checkbox">
            <input type="checkbox" checked={allowPartial} onChange={(event) => setAllowPartial(event.target.checked)} />
            {t('register.allowPartial')}
          </label>
          <div className="till-actions">
            <button type="button" className="primary-action" disabled={!ready || act.busy} onClick={() => void pay(true)}>
              {amount > 0 ? t('register.charge', { amount: priced }) : t('register.charge.noAmount')}
            </button>
            <button type="button" className="secondary" disabled={!ready || act.busy} onClick={() => void pay(false)}>
              {amount > 0 ? t('register.preauthorise', { amount: priced }) : t('register.preauthorise.noAmount')}
            </button>
            <button type="button" className="secondary" disabled={!ready || act.busy} onClick={() => void topUp()}>
              {amount > 0 ? t('register.topup', { amount: priced }) : t('register.topup.noAmount')}
            </button>
            <button type="button" className="secondary" disabled={act.busy} onClick={() => void showQr()}>
              {amount > 0 ? t('register.showQr', { amount: priced }) : t('register.showStaticQr')}
            </button>
          </div>
          {!ready && <p className="hint">{t('register.readyHint')}</p>}
          <ProblemView problem={act.problem} />
        </div>
        <div className="till-output">
          {storeCode && <StoreQr key={storeCode.id} code={storeCode} onPaid={paidByQr} onClose={() => setStoreCode(null)} />}
          {outcome && <Receipt outcome={outcome} onOutcome={record} />}
          <RecentPayments
            version={version}
            selected={outcome?.kind === 'payment' ? outcome.payment.id : undefined}
            onSelect={(payment) => record({ kind: 'payment', action: 'view', payment, at: payment.capturedAt ?? payment.createdAt })}
          />
        </div>
      </div>
    </div>
  );
}
