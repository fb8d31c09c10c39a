import { useEffect, useId, useState } from 'react';
import { type MessageKey, useLanguage } from '../../i18n/index.js';
import { useSession } from '../../session.js';

/** The API's rule (libs/identity passwords.ts): 8 to 256 characters, no composition rules. */
const MIN_LENGTH = 8;
const MAX_LENGTH = 256;

let commonPasswords: Promise<ReadonlySet<string>> | null = null;

/**
 * The same list of breached passwords the API refuses on `hardened`
 * (zxcvbn-ts, about 49,000 entries): loaded once, only when a password is
 * being chosen, so the console's first load stays small.
 */
function loadCommonPasswords(): Promise<ReadonlySet<string>> {
  commonPasswords ??= import('@zxcvbn-ts/language-common').then(({ dictionary }) => new Set(dictionary['passwords-common']));
  return commonPasswords;
}

type Verdict = 'empty' | 'short' | 'long' | 'common' | 'checking' | 'ok' | 'okLegacy';

/** What the API will say of this password, as the customer types it. */
function usePasswordVerdict(password: string): { verdict: Verdict; length: number } {
  const { sandbox } = useSession();
  const hardened = sandbox.securityProfile === 'hardened';
  const [common, setCommon] = useState<ReadonlySet<string> | null>(null);
  useEffect(() => {
    if (!hardened) return;
    let live = true;
    void loadCommonPasswords().then((list) => {
      if (live) setCommon(list);
    });
    return () => {
      live = false;
    };
  }, [hardened]);
  const length = [...password].length;
  let verdict: Verdict;
  if (length === 0) verdict = 'empty';
  else if (length < MIN_LENGTH) verdict = 'short';
  else if (length > MAX_LENGTH) verdict = 'long';
  else if (!hardened) verdict = 'okLegacy';
  else if (!common) verdict = 'checking';
  else verdict = common.has(password.toLowerCase()) ? 'common' : 'ok';
  return { verdict, length };
}

const VERDICT_MESSAGES: Record<Verdict, MessageKey> = {
  empty: 'auth.password.rule',
  short: 'auth.password.short',
  long: 'auth.password.long',
  common: 'auth.password.common',
  checking: 'auth.password.checking',
  ok: 'auth.password.ok',
  okLegacy: 'auth.password.okLegacy',
};

interface PasswordFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** A new password gets live feedback on the API's rules; a current one does not. */
  choosing?: boolean;
  autoComplete?: string;
}

/** A password input, with a "show" switch, and (when choosing one) what the API will think of it while typing. */
export function PasswordField({ label, value, onChange, choosing = false, autoComplete }: PasswordFieldProps) {
  const { t } = useLanguage();
  const id = useId();
  const [shown, setShown] = useState(false);
  return (
    <div className="password-field">
      <label>
        {label}
        <input
          type={shown ? 'text' : 'password'}
          autoComplete={autoComplete ?? (choosing ? 'new-password' : 'current-password')}
          required
          maxLength={1024}
          spellCheck={false}
          value={value}
          aria-describedby={choosing ? `${id}-feedback` : undefined}
          onChange={(event) => onChange(event.target.value)}
        />
      </label>
      <label className="inline">
        <input type="checkbox" checked={shown} onChange={(event) => setShown(event.target.checked)} />
        {t('auth.password.show')}
      </label>
      {choosing && <PasswordFeedback id={`${id}-feedback`} password={value} />}
    </div>
  );
}

function PasswordFeedback({ id, password }: { id: string; password: string }) {
  const { t } = useLanguage();
  const { verdict, length } = usePasswordVerdict(password);
  const tone = verdict === 'ok' || verdict === 'okLegacy' ? 'good' : verdict === 'empty' || verdict === 'checking' ? 'neutral' : 'bad';
  return (
    <p id={id} className={`password-feedback ${tone}`} data-verdict={verdict} aria-live="polite">
      {t(VERDICT_MESSAGES[verdict], { length, min: MIN_LENGTH, max: MAX_LENGTH })}
    </p>
  );
}
