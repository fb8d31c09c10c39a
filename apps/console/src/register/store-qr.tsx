import { useEffect, useState } from 'react';
import { answer } from '../api.js';
import { showOnCounter, takeOffCounter } from '../components/counter.js';
import { formatYen, useLanguage } from '../i18n/index.js';
import { useRegister } from './register-session.js';
import { useLatest } from '../components/use-latest.js';
import type { Payment, StoreCode } from './types.js';

const POLL_MS = 1500;

/** The QR image of an authenticated endpoint, fetched with the store key and shown as a blob: URL (the page's CSP allows no other). */
function useQrImage(codeId: string): string | null {
  const register = useRegister();
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let objectUrl: string | null = null;
    let live = true;
    void register
      .api()
      .GET('/v1/store-codes/{id}/qr.svg', { params: { path: { id: codeId } }, parseAs: 'blob' })
      .then(({ data }) => {
        if (!live || !(data instanceof Blob)) return;
        objectUrl = URL.createObjectURL(new Blob([data], { type: 'image/svg+xml' }));
        setUrl(objectUrl);
      });
    return () => {
      live = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [register, codeId]);
  return url;
}

/**
 * The store's QR (EMVCo MPM) on the register's customer display. It is put
 * on the counter, so a wallet panel of this page can scan it; the register
 * watches its payments and reports the one that pays it.
 */
export function StoreQr({ code, onPaid, onClose }: { code: StoreCode; onPaid: (payment: Payment) => void; onClose: () => void }) {
  const { t } = useLanguage();
  const register = useRegister();
  const image = useQrImage(code.id);
  const [paid, setPaid] = useState<Payment | null>(null);
  const paidRef = useLatest(onPaid);

  useEffect(() => {
    let seen: Set<string> | null = null;
    let live = true;
    const list = () =>
      answer(register.api().GET('/v1/payments', { params: { query: { terminalId: register.terminalId, limit: 10 } } })).then(
        (page) => page.data,
      );
    const poll = async () => {
      const payments = await list().catch(() => null);
      if (!live || !payments) return;
      if (!seen) {
        seen = new Set(payments.map((p) => p.id));
        showOnCounter({ from: 'register', kind: 'store-code', value: code.payload });
        return;
      }
      const fresh = payments.find((p) => !seen!.has(p.id) && p.method === 'mpm');
      payments.forEach((p) => seen!.add(p.id));
      if (!fresh) return;
      setPaid(fresh);
      paidRef.current(fresh);
      // A code with an amount pays once: it leaves the counter.
      if (code.kind === 'dynamic') takeOffCounter('register', 'store-code');
    };
    void poll();
    const timer = setInterval(() => void poll(), POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
      takeOffCounter('register', 'store-code');
    };
  }, [register, code, paidRef]);

  const label = code.amount ? t('register.qr.alt', { amount: formatYen(code.amount) }) : t('register.qr.altStatic');
  return (
    <article className="store-qr" aria-labelledby="store-qr-title" data-testid="store-qr">
      <h3 id="store-qr-title">
        {code.amount ? t('register.qr.heading', { amount: formatYen(code.amount) }) : t('register.qr.headingStatic')}
      </h3>
      {paid && code.kind === 'dynamic' ? (
        <p className="qr-paid" role="status">
          ✓ {t('register.qr.paid', { amount: formatYen(paid.amount) })}
        </p>
      ) : (
        <>
          <div className="qr-frame">
            {image ? <img src={image} alt={label} width={240} height={240} /> : <p role="status">{t('common.loading')}</p>}
          </div>
          <p className="hint" aria-live="polite">
            {paid ? t('register.qr.paid', { amount: formatYen(paid.amount) }) : t('register.qr.waiting')}
          </p>
        </>
      )}
      <details>
        <summary>{t('register.qr.payload')}</summary>
        <code className="payload" data-testid="store-qr-payload">
          {code.payload}
        </code>
      </details>
      <button type="button" className="secondary" onClick={onClose}>
        {paid && code.kind === 'dynamic' ? t('common.close') : t('register.qr.close')}
      </button>
    </article>
  );
}
