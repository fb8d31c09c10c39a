import { type ReactNode, useState } from 'react';
import { answer } from '../api.js';
import { ProblemView } from '../components/problem-view.js';
import { useAction } from '../components/use-action.js';
import { type MessageKey, formatTime, formatYen, sandboxTimeZone, useLanguage } from '../i18n/index.js';
import { useSession } from '../session.js';
import { useRegister } from './register-session.js';
import type { Outcome, Payment, PaymentAction, Refund, Topup } from './types.js';

const TITLES: Record<PaymentAction, MessageKey> = {
  captured: 'register.receipt.captured',
  authorized: 'register.receipt.authorized',
  capture: 'register.receipt.capture',
  void: 'register.receipt.void',
  refund: 'register.receipt.refund',
  'store-code': 'register.receipt.storeCode',
  view: 'register.receipt.view',
};

/** Sandbox time now, from the clock the header last read: for answers that carry no time of their own (a void). */
export function useSandboxNow(): () => string {
  const { sandbox } = useSession();
  return () => new Date(Date.now() + sandbox.clock.offsetSeconds * 1000).toISOString();
}

function useSandboxTime(): (iso: string) => string {
  const { language } = useLanguage();
  const { sandbox } = useSession();
  return (iso) => formatTime(iso, language, sandboxTimeZone(sandbox.clock.now));
}

function Line({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

/** The register's slip for the last answer of the API: what happened, for how much, to which payment, when. */
export function Receipt({ outcome, onOutcome }: { outcome: Outcome; onOutcome: (outcome: Outcome) => void }) {
  if (outcome.kind === 'topup') return <TopupReceipt topup={outcome.topup} />;
  return <PaymentReceipt {...outcome} onOutcome={onOutcome} />;
}

function StoreLine() {
  const { t } = useLanguage();
  const register = useRegister();
  return (
    <Line label={t('register.receipt.store')}>
      {register.storeName} <code>{register.storeId}</code>
    </Line>
  );
}

function PaymentReceipt({
  action,
  payment,
  refund,
  at,
  onOutcome,
}: {
  action: PaymentAction;
  payment: Payment;
  refund?: Refund;
  at: string;
  onOutcome: (outcome: Outcome) => void;
}) {
  const { t } = useLanguage();
  const time = useSandboxTime();
  const refundable = payment.capturedAmount - payment.refundedAmount;
  return (
    <article className="receipt" aria-labelledby="receipt-title" data-testid="receipt" data-status={payment.status}>
      <h3 id="receipt-title">{t(TITLES[action])}</h3>
      <dl>
        <StoreLine />
        <Line label={refund ? t('register.receipt.refunded') : t('register.receipt.amount')} testId="receipt-amount">
          <span className="receipt-amount">{formatYen(refund ? refund.amount : payment.amount)}</span>
        </Line>
        {payment.cashDue > 0 && (
          <Line label={t('register.receipt.cashDue')} testId="receipt-cash-due">
            {formatYen(payment.cashDue)}
          </Line>
        )}
        <Line label={t('register.receipt.payment')}>
          <code data-testid="receipt-payment-id">{payment.id}</code>
        </Line>
        {refund && (
          <Line label={t('register.receipt.refundId')}>
            <code>{refund.id}</code>
          </Line>
        )}
        <Line label={t('register.receipt.status')} testId="receipt-status">
          <span className={`status ${payment.status}`}>{t(`register.status.${payment.status}` as MessageKey)}</span>
        </Line>
        <Line label={t('register.receipt.time')}>
          <time dateTime={at}>{time(at)}</time>
        </Line>
        {payment.status === 'captured' && (
          <Line label={t('register.receipt.refundable')} testId="receipt-refundable">
            {formatYen(refundable)}
          </Line>
        )}
        {payment.status === 'authorized' && payment.expiresAt && (
          <Line label={t('register.receipt.authorizedUntil')}>
            <time dateTime={payment.expiresAt}>{time(payment.expiresAt)}</time>
          </Line>
        )}
      </dl>
      {payment.status === 'captured' && refundable > 0 && (
        <RefundForm key={`${payment.id}:${refundable}`} payment={payment} refundable={refundable} onOutcome={onOutcome} />
      )}
      {payment.status === 'captured' && refundable === 0 && <p className="hint">{t('register.refund.none')}</p>}
      {payment.status === 'authorized' && <AuthorizationActions key={payment.id} payment={payment} onOutcome={onOutcome} />}
    </article>
  );
}

/** A yen amount field, integer yen. No upper bound in the page: beyond what is left, the API's refusal says how much is. */
function AmountField({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  return (
    <label>
      {label}
      <input
        type="number"
        inputMode="numeric"
        min={1}
        step={1}
        value={value}
        onChange={(event) => onChange(event.target.value.replace(/[^\d]/g, ''))}
      />
    </label>
  );
}

function RefundForm({ payment, refundable, onOutcome }: { payment: Payment; refundable: number; onOutcome: (o: Outcome) => void }) {
  const { t } = useLanguage();
  const register = useRegister();
  const [amount, setAmount] = useState(String(refundable));
  const refund = useAction(async () => {
    const body = { amount: Number(amount) };
    const path = { id: payment.id };
    const made = (await register.once({ refund: path, body }, (headers) =>
      answer(register.api().POST('/v1/payments/{id}/refunds', { params: { path }, body, headers })),
    )) as unknown as Refund;
    onOutcome({
      kind: 'payment',
      action: 'refund',
      refund: made,
      at: made.createdAt,
      payment: { ...payment, refundedAmount: made.refundedTotal },
    });
  });
  return (
    <form
      className="receipt-actions"
      aria-label={t('register.refund.heading')}
      onSubmit={(event) => {
        event.preventDefault();
        void refund.run();
      }}
    >
      <AmountField label={t('register.refund.amount')} value={amount} onChange={setAmount} />
      <button type="submit" className="danger" disabled={refund.busy || !amount}>
        {t('register.refund.submit', { amount: formatYen(Number(amount) || 0) })}
      </button>
      <ProblemView problem={refund.problem} />
    </form>
  );
}

function AuthorizationActions({ payment, onOutcome }: { payment: Payment; onOutcome: (o: Outcome) => void }) {
  const { t } = useLanguage();
  const register = useRegister();
  const now = useSandboxNow();
  const [amount, setAmount] = useState(String(payment.amount));
  const path = { id: payment.id };
  const capture = useAction(async () => {
    const body = { amount: Number(amount) };
    const captured = await register.once({ capture: path, body }, (headers) =>
      answer(register.api().POST('/v1/payments/{id}/capture', { params: { path }, body, headers })),
    );
    onOutcome({ kind: 'payment', action: 'capture', payment: captured, at: captured.capturedAt ?? now() });
  });
  const release = useAction(async () => {
    const voided = await register.once({ void: path }, (headers) =>
      answer(register.api().POST('/v1/payments/{id}/void', { params: { path }, headers })),
    );
    onOutcome({ kind: 'payment', action: 'void', payment: voided, at: now() });
  });
  const busy = capture.busy || release.busy;
  return (
    <form
      className="receipt-actions"
      aria-label={t('register.authorization.heading')}
      onSubmit={(event) => {
        event.preventDefault();
        void capture.run();
      }}
    >
      <AmountField label={t('register.authorization.amount')} value={amount} onChange={setAmount} />
      <div className="actions">
        <button type="submit" disabled={busy || !amount}>
          {t('register.authorization.capture', { amount: formatYen(Number(amount) || 0) })}
        </button>
        <button type="button" className="danger" disabled={busy} onClick={() => void release.run()}>
          {t('register.authorization.void')}
        </button>
      </div>
      <ProblemView problem={capture.problem ?? release.problem} />
    </form>
  );
}

function TopupReceipt({ topup }: { topup: Topup }) {
  const { t } = useLanguage();
  const time = useSandboxTime();
  return (
    <article className="receipt" aria-labelledby="receipt-title" data-testid="receipt" data-status={topup.status}>
      <h3 id="receipt-title">{t('register.receipt.topup')}</h3>
      <dl>
        <StoreLine />
        <Line label={t('register.receipt.cashTaken')} testId="receipt-amount">
          <span className="receipt-amount">{formatYen(topup.amount)}</span>
        </Line>
        <Line label={t('register.receipt.topupId')}>
          <code>{topup.id}</code>
        </Line>
        <Line label={t('register.receipt.wallet')}>
          <code>{topup.walletId}</code>
        </Line>
        <Line label={t('register.receipt.status')} testId="receipt-status">
          <span className={`status ${topup.status}`} aria-live="polite">
            {t(`register.topupStatus.${topup.status}` as MessageKey)}
            {topup.failureCode && (
              <>
                {' '}
                <code>{topup.failureCode}</code>
              </>
            )}
          </span>
        </Line>
        <Line label={t('register.receipt.time')}>
          <time dateTime={topup.updatedAt}>{time(topup.updatedAt)}</time>
        </Line>
      </dl>
      {topup.status === 'succeeded' && <p className="hint">{t('register.topup.giveReceipt')}</p>}
      {topup.status === 'pending' && <p className="hint">{t('register.topup.pending')}</p>}
    </article>
  );
}
