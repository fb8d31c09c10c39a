import { useCallback, useEffect, useState } from 'react';
import { answer } from '../api.js';
import { ProblemView } from '../components/problem-view.js';
import { useAction } from '../components/use-action.js';
import { type MessageKey, formatTime, formatYen, sandboxTimeZone, useLanguage } from '../i18n/index.js';
import { useSession } from '../session.js';
import { useRegister } from './register-session.js';
import type { Payment } from './types.js';

/** This register's last payments, newest first: pick one to refund it, or to capture or void an authorisation. */
export function RecentPayments({ version, selected, onSelect }: { version: number; selected?: string; onSelect: (p: Payment) => void }) {
  const { t, language } = useLanguage();
  const { sandbox } = useSession();
  const register = useRegister();
  const [payments, setPayments] = useState<Payment[] | null>(null);
  const load = useAction(
    useCallback(async () => {
      const query = { terminalId: register.terminalId, limit: 10 };
      setPayments((await answer(register.api().GET('/v1/payments', { params: { query } }))).data);
    }, [register]),
  );
  const { run } = load;
  useEffect(() => {
    void run();
  }, [run, version]);

  return (
    <section className="recent-payments" aria-labelledby="recent-payments-heading">
      <div className="section-head">
        <h3 id="recent-payments-heading">{t('register.recent.heading')}</h3>
        <button type="button" className="secondary" disabled={load.busy} onClick={() => void run()}>
          {t('common.refresh')}
        </button>
      </div>
      <ProblemView problem={load.problem} />
      {payments?.length === 0 && <p className="hint">{t('register.recent.none')}</p>}
      {payments && payments.length > 0 && (
        <ol className="payment-list">
          {payments.map((payment) => (
            <li key={payment.id}>
              <button
                type="button"
                className="payment-row"
                aria-pressed={payment.id === selected}
                data-testid="recent-payment"
                onClick={() => onSelect(payment)}
              >
                <span className="row-amount">{formatYen(payment.amount)}</span>
                <span className={`status ${payment.status}`}>{t(`register.status.${payment.status}` as MessageKey)}</span>
                {payment.refundedAmount > 0 && (
                  <span className="muted">{t('register.recent.refunded', { amount: formatYen(payment.refundedAmount) })}</span>
                )}
                <span className="muted">{payment.method === 'mpm' ? t('register.recent.mpm') : t('register.recent.cpm')}</span>
                <time className="muted" dateTime={payment.createdAt}>
                  {formatTime(payment.createdAt, language, sandboxTimeZone(sandbox.clock.now))}
                </time>
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
