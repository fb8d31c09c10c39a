import { type ReactNode, createContext, useCallback, useContext, useMemo, useRef, useState } from 'react';
import type { Schemas, WalletSandboxClient } from '@wallet-sandbox/client';
import { type Problem, ProblemError, answer, client } from '../api.js';
import { ProblemView } from '../components/problem-view.js';
import { useLanguage } from '../i18n/index.js';
import { useSession } from '../session.js';
import { type SignedOutReason, sessionKeeper } from './auth/kept-session.js';

export type Tokens = Schemas['TokensDto'];

export interface WalletSession {
  slot: string;
  /** The app's installation id on this "phone": kept in this browser, so the device stays the same across visits. */
  deviceId: string;
  tokens: Tokens | null;
  /** Why the panel signed itself out (its session ended elsewhere, the password changed), until the next sign-in. */
  signedOutReason: SignedOutReason | null;
  /** Calls before sign-in: the sandbox's publishable key. */
  publicApi: WalletSandboxClient;
  /**
   * Calls as the signed-in customer (throws when signed out). An expired
   * access token is renewed and the call sent again; a session ended
   * elsewhere signs the panel out with a notice.
   */
  api: () => WalletSandboxClient;
  signedIn: (tokens: Tokens) => void;
  signedOut: (reason?: SignedOutReason) => void;
  /**
   * Runs a customer call; when it answers `step_up_required`, asks for the
   * second factor the API sent (SMS code, or the authenticator app's), then
   * runs the call again. Resolves to the call's answer, or throws its refusal.
   */
  withStepUp: <T>(call: () => Promise<T>) => Promise<T>;
}

const WalletContext = createContext<WalletSession | null>(null);

function storageKey(sandboxId: string, slot: string, what: string): string {
  return `wallet-sandbox:${sandboxId}:${slot}:${what}`;
}

function deviceIdOf(sandboxId: string, slot: string): string {
  const key = storageKey(sandboxId, slot, 'device');
  let id = localStorage.getItem(key);
  if (!id) {
    id = crypto.randomUUID();
    localStorage.setItem(key, id);
  }
  return id;
}

interface PendingStepUp {
  problem: Problem;
  resolve: (passed: boolean) => void;
}

/** One phone: its device id, its customer's tokens (this tab only), and the step-up prompt its calls may raise. */
export function WalletSlotProvider({ slot, children }: { slot: string; children: ReactNode }) {
  const { sandbox, publishableKey } = useSession();
  const tokensKey = storageKey(sandbox.id, slot, 'tokens');
  const [deviceId] = useState(() => deviceIdOf(sandbox.id, slot));
  const [tokens, setTokens] = useState<Tokens | null>(() => {
    const saved = sessionStorage.getItem(tokensKey);
    return saved ? (JSON.parse(saved) as Tokens) : null;
  });
  const [signedOutReason, setSignedOutReason] = useState<SignedOutReason | null>(null);
  const [pending, setPending] = useState<PendingStepUp | null>(null);
  const tokensRef = useRef(tokens);
  tokensRef.current = tokens;

  const signedIn = useCallback(
    (next: Tokens) => {
      sessionStorage.setItem(tokensKey, JSON.stringify(next));
      tokensRef.current = next;
      setTokens(next);
      setSignedOutReason(null);
    },
    [tokensKey],
  );
  const signedOut = useCallback(
    (reason?: SignedOutReason) => {
      sessionStorage.removeItem(tokensKey);
      tokensRef.current = null;
      setTokens(null);
      setSignedOutReason(reason ?? null);
    },
    [tokensKey],
  );
  const keptFetch = useMemo(
    () => sessionKeeper({ publishableKey, tokens: () => tokensRef.current, renewed: signedIn, ended: signedOut }),
    [publishableKey, signedIn, signedOut],
  );

  const value = useMemo<WalletSession>(() => {
    const api = () => {
      if (!tokensRef.current) throw new ProblemError({ title: 'Signed out', status: 401, code: 'unauthenticated' });
      return client({ token: tokensRef.current.accessToken, fetch: keptFetch });
    };
    const withStepUp = async <T,>(call: () => Promise<T>): Promise<T> => {
      for (;;) {
        try {
          return await call();
        } catch (error) {
          if (!(error instanceof ProblemError) || error.problem.code !== 'step_up_required') throw error;
          const passed = await new Promise<boolean>((resolve) => setPending({ problem: error.problem, resolve }));
          if (!passed) throw error;
        }
      }
    };
    return { slot, deviceId, tokens, signedOutReason, publicApi: client({ publishableKey }), api, signedIn, signedOut, withStepUp };
  }, [slot, deviceId, tokens, signedOutReason, publishableKey, signedIn, signedOut, keptFetch]);

  return (
    <WalletContext.Provider value={value}>
      {children}
      {pending && (
        <StepUpPrompt
          problem={pending.problem}
          done={(passed) => {
            setPending(null);
            pending.resolve(passed);
          }}
        />
      )}
    </WalletContext.Provider>
  );
}

export function useWallet(): WalletSession {
  const wallet = useContext(WalletContext);
  if (!wallet) throw new Error('useWallet outside a wallet panel');
  return wallet;
}

/** The second factor a money-moving call asked for: the code from the SMS (or the authenticator app). */
function StepUpPrompt({ problem, done }: { problem: Problem; done: (passed: boolean) => void }) {
  const { t } = useLanguage();
  const wallet = useWallet();
  const [code, setCode] = useState('');
  const [refusal, setRefusal] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setRefusal(null);
    try {
      await answer(wallet.api().POST('/v1/auth/mfa/verify', { body: { challengeId: String(problem.challengeId), code } }));
      done(true);
    } catch (error) {
      if (error instanceof ProblemError) setRefusal(error.problem);
      else throw error;
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="step-up" role="dialog" aria-modal="false" aria-labelledby={`step-up-${wallet.slot}`}>
      <h3 id={`step-up-${wallet.slot}`}>{t('wallet.stepUp.heading')}</h3>
      <p>
        {problem.method === 'totp'
          ? t('wallet.stepUp.totp')
          : typeof problem.sentTo === 'string'
            ? t('wallet.stepUp.sms', { to: problem.sentTo })
            : t('wallet.stepUp.explain')}
      </p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <label>
          {t('wallet.stepUp.code')}
          <input
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]{6}"
            required
            autoFocus
            value={code}
            onChange={(event) => setCode(event.target.value)}
          />
        </label>
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t('wallet.stepUp.verify')}
          </button>
          <button type="button" className="secondary" onClick={() => done(false)}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
      <ProblemView problem={refusal} />
    </div>
  );
}
