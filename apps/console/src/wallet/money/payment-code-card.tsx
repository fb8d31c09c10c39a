import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
import { answer } from '../../api.js';
import { showOnCounter, takeOffCounter } from '../../components/counter.js';
import { ProblemView } from '../../components/problem-view.js';
import { useAction } from '../../components/use-action.js';
import { formatYen, useLanguage } from '../../i18n/index.js';
import { type WalletSession, useWallet } from '../wallet-session.js';
import { phaseLabel } from './top-up-parts.js';
import { type WalletTransaction, type WalletView, keyed, useSandboxNow, walletChanged } from './money-api.js';

interface PaymentCode {
  id: string;
  code: string;
  walletId: string;
  expiresAt: string;
  /** Null once the customer confirmed it is them (or the sandbox sets no allowance). */
  payableWithoutStepUp: number | null;
}

interface Images {
  qr: string;
  barcode: string;
}

/** What the register did with the code: a payment, a reservation, or a cash top-up. */
interface CodeUse {
  kind: 'payment' | 'authorized' | 'topup';
  amount: number;
}

const WATCH_MS = 2000;

/** Digits in groups of four, as a clerk reads them out. */
export function grouped(digits: string): string {
  return digits.replace(/(\d{4})(?=\d)/g, '$1 ');
}

async function imageUrl(wallet: WalletSession, path: '/v1/payment-codes/{id}/qr.svg' | '/v1/payment-codes/{id}/barcode.svg', id: string) {
  const blob = await answer(wallet.api().GET(path, { params: { path: { id } }, parseAs: 'blob' }));
  return URL.createObjectURL(blob as unknown as Blob);
}

/** Where the wallet stood when the code was shown: what the register does next shows up against it. */
async function baseline(wallet: WalletSession): Promise<{ newest: string; available: number }> {
  const [page, view] = await Promise.all([
    answer(wallet.api().GET('/v1/wallet/transactions', { params: { query: { limit: 1 } } })),
    answer(wallet.api().GET('/v1/wallet')),
  ]);
  return {
    newest: (page as unknown as { data: WalletTransaction[] }).data[0]?.id ?? '',
    available: (view as unknown as WalletView).available,
  };
}

/**
 * The one-time payment code: a QR and a Code 128 of the same digits, the
 * digits written out and the time left on the sandbox clock. A new code
 * replaces it when it expires, when asked, and after the register used it.
 */
export function PaymentCodeCard({ purpose = 'pay' }: { purpose?: 'pay' | 'topup' }) {
  const { t } = useLanguage();
  const wallet = useWallet();
  const { sandboxNow, sync } = useSandboxNow(wallet);
  const [code, setCode] = useState<PaymentCode | null>(null);
  const [images, setImages] = useState<Images | null>(null);
  const [used, setUsed] = useState<CodeUse | null>(null);
  const [closed, setClosed] = useState<string | null>(null);
  const since = useRef<{ newest: string; available: number } | null>(null);

  const issue = useAction(
    useCallback(async () => {
      const service = await sync();
      if (!service.capabilities.payment) {
        setClosed(service.phase);
        return;
      }
      since.current = await baseline(wallet);
      const issued = (await wallet.withStepUp(() => answer(wallet.api().POST('/v1/payment-codes', keyed())))) as unknown as PaymentCode;
      const [qr, barcode] = await Promise.all([
        imageUrl(wallet, '/v1/payment-codes/{id}/qr.svg', issued.id),
        imageUrl(wallet, '/v1/payment-codes/{id}/barcode.svg', issued.id),
      ]);
      setUsed(null);
      setCode(issued);
      setImages({ qr, barcode });
    }, [wallet, sync]),
  );
  const issueNow = useEffectEvent(() => void issue.run());
  // Beyond the step-up allowance: the second factor first, then a code that pays without that limit.
  const confirm = useAction(
    useCallback(async () => {
      await wallet.withStepUp(() => answer(wallet.api().POST('/v1/auth/step-up', keyed())));
      await issue.run();
    }, [wallet, issue]),
  );

  useEffect(() => issueNow(), []);

  // The blob URLs of the images die with them.
  useEffect(
    () => () => {
      if (images) [images.qr, images.barcode].forEach((url) => URL.revokeObjectURL(url));
    },
    [images],
  );

  // On the counter while it can be scanned, for a register panel on the same page.
  const live = code && !used ? code : null;
  useEffect(() => {
    if (!live) return;
    showOnCounter({ from: wallet.slot, kind: 'payment-code', value: live.code, expiresAt: live.expiresAt });
    return () => takeOffCounter(wallet.slot, 'payment-code');
  }, [live, wallet.slot]);

  // Watches what the register does with the code, and keeps the sandbox clock in step.
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => {
      void watch(wallet, since.current).then((use) => {
        if (!use) return;
        setUsed(use);
        walletChanged(wallet.slot);
      });
      void sync().catch(() => undefined);
    }, WATCH_MS);
    return () => clearInterval(timer);
  }, [live, wallet, sync]);

  const remainingMs = live && sandboxNow !== null ? new Date(live.expiresAt).getTime() - sandboxNow : null;
  const expired = remainingMs !== null && remainingMs <= 0;
  useEffect(() => {
    if (expired && !issue.busy) issueNow();
  }, [expired, issue.busy]);

  if (closed) {
    return (
      <p className="notice warning" role="status">
        {t('money.code.closed', { phase: phaseLabel(t, closed) })}
      </p>
    );
  }

  return (
    <section className="payment-code" aria-labelledby={`code-${wallet.slot}-${purpose}`}>
      <h3 id={`code-${wallet.slot}-${purpose}`}>{t(purpose === 'pay' ? 'money.code.heading' : 'money.code.headingCash')}</h3>
      {used && (
        <p className="outcome ok" role="status" data-testid="code-used">
          {t(`money.code.used.${used.kind}`, { amount: formatYen(used.amount) })}
        </p>
      )}
      {live && images && (
        <>
          <img className="code-qr" src={images.qr} alt={t('money.code.qrAlt')} data-testid="code-qr" />
          <img className="code-barcode" src={images.barcode} alt={t('money.code.barcodeAlt')} data-testid="code-barcode" />
          <p className="code-digits" data-testid="code-digits" aria-label={t('money.code.digits')}>
            {grouped(live.code)}
          </p>
          <p className="countdown" role="timer" data-testid="countdown">
            {remainingMs === null ? '…' : t('money.code.remaining', { time: clockTime(Math.max(0, remainingMs)) })}
          </p>
          {purpose === 'pay' && live.payableWithoutStepUp !== null && (
            <p className="hint" data-testid="code-allowance">
              {t('money.code.allowance', { amount: formatYen(live.payableWithoutStepUp) })}
            </p>
          )}
        </>
      )}
      <div className="actions">
        <button type="button" className="secondary" onClick={() => void issue.run()} disabled={issue.busy}>
          {t('money.code.fresh')}
        </button>
        {purpose === 'pay' && live?.payableWithoutStepUp != null && (
          <button type="button" className="secondary" onClick={() => void confirm.run()} disabled={confirm.busy || issue.busy}>
            {t('money.code.confirm')}
          </button>
        )}
      </div>
      <ProblemView problem={issue.problem ?? confirm.problem} />
    </section>
  );
}

/** m:ss */
function clockTime(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** What the register did since the code was shown: a new payment or cash top-up in the history, or money reserved. */
async function watch(wallet: WalletSession, since: { newest: string; available: number } | null): Promise<CodeUse | null> {
  if (!since) return null;
  // The balance first: a payment that moved it is then already in the history read after it.
  const view = await answer(wallet.api().GET('/v1/wallet')).catch(() => null);
  const page = view && (await answer(wallet.api().GET('/v1/wallet/transactions', { params: { query: { limit: 5 } } })).catch(() => null));
  if (!page || !view) return null;
  const fresh = (page as unknown as { data: WalletTransaction[] }).data.filter((row) => row.id > since.newest);
  const payment = fresh.find((row) => row.type === 'payment');
  if (payment) return { kind: 'payment', amount: -payment.amount };
  const cash = fresh.find((row) => row.type === 'topup' && row.reference.channel === 'register_cash');
  if (cash) return { kind: 'topup', amount: cash.amount };
  const available = (view as unknown as WalletView).available;
  if (available < since.available) return { kind: 'authorized', amount: since.available - available };
  return null;
}
