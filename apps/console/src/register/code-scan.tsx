import { CameraScan } from '../components/camera-scan.js';
import { useCounter } from '../components/counter.js';
import { useLanguage } from '../i18n/index.js';

/**
 * What a scanner read, as the register sends it: the 22 digits of a QR or a
 * Code 128, or those inside an EMVCo CPM payload (base64). Anything else is
 * sent as read, for the API to refuse.
 */
export function codeFromScan(text: string): string {
  const digits = text.replace(/[\s-]/g, '');
  if (/^\d+$/.test(digits)) return digits;
  try {
    const bytes = Uint8Array.from(atob(text.trim()), (c) => c.charCodeAt(0));
    const pan = bytes.indexOf(0x5a, 7);
    if (String.fromCharCode(...bytes.subarray(2, 7)) === 'CPV01' && pan > 0) {
      const hex = [...bytes.subarray(pan + 2, pan + 2 + bytes[pan + 1])].map((b) => b.toString(16).padStart(2, '0')).join('');
      return hex.replace(/f$/i, '');
    }
  } catch {
    // not base64: sent as read
  }
  return text.trim();
}

/** The customer's code: typed or pasted, "scanned" from a wallet panel on this page, or read by a camera. */
export function CodeScan({ code, onChange }: { code: string; onChange: (code: string) => void }) {
  const { t } = useLanguage();
  const shown = useCounter('payment-code');

  return (
    <div className="code-scan">
      <label>
        {t('register.code')}
        <input
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          value={code}
          placeholder="79…"
          aria-describedby="register-code-hint"
          onChange={(event) => onChange(codeFromScan(event.target.value))}
        />
      </label>
      <p className="hint" id="register-code-hint">
        {t('register.codeHint', { count: code.length })}
      </p>
      <div className="scan-sources">
        {shown.map((shownCode) => (
          <button key={shownCode.from} type="button" className="secondary" onClick={() => onChange(shownCode.value)}>
            {t('register.scanWallet', { slot: shownCode.from.toUpperCase() })}
          </button>
        ))}
      </div>
      {shown.length === 0 && <p className="hint">{t('register.noWalletShown')}</p>}
      <CameraScan aim={t('register.camera.aim')} onRead={(text) => onChange(codeFromScan(text))} />
    </div>
  );
}
