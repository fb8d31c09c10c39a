import { type ReactNode, createContext, useCallback, useContext, useMemo, useRef, useState } from 'react';
import type { WalletSandboxClient } from '@wallet-sandbox/client';
import { ProblemError, client, idempotencyKey } from '../api.js';
import { useSession } from '../session.js';

/** The register this tab keeps for a sandbox: its store, its terminal and the store key (shown once by the API, so kept here). */
export interface RegisterKeys {
  storeId: string;
  storeName: string;
  terminalId: string;
  terminalName: string;
  apiKey: string;
  keyHint: string;
}

export interface RegisterSession extends RegisterKeys {
  /** A client that speaks as the register: `Authorization: Bearer stk_test_…`. */
  api: () => WalletSandboxClient;
  /**
   * Runs a mutating call with an Idempotency-Key. The same request sent again
   * after no answer (the network, a 5xx) reuses its key, so it cannot take
   * the money twice; after any answer the next request gets a fresh key.
   */
  once: <T>(request: unknown, call: (headers: { 'Idempotency-Key': string }) => Promise<T>) => Promise<T>;
  forget: () => void;
}

const RegisterContext = createContext<{ register: RegisterSession | null; opened: (keys: RegisterKeys) => void } | null>(null);

function storageKey(sandboxId: string): string {
  return `wallet-sandbox:${sandboxId}:register`;
}

function saved(sandboxId: string): RegisterKeys | null {
  const raw = sessionStorage.getItem(storageKey(sandboxId));
  return raw ? (JSON.parse(raw) as RegisterKeys) : null;
}

/** Whether an answer settles a request: a refusal does (it is stored with its key), no answer or a server fault does not. */
function settled(error: unknown): boolean {
  if (!(error instanceof ProblemError)) return false;
  const { status, code } = error.problem;
  return status >= 400 && status < 500 && code !== 'idempotency_in_progress';
}

export function RegisterProvider({ children }: { children: ReactNode }) {
  const { sandbox } = useSession();
  const [keys, setKeys] = useState<RegisterKeys | null>(() => saved(sandbox.id));
  const last = useRef<{ fingerprint: string; key: string; open: boolean } | null>(null);

  const opened = useCallback(
    (next: RegisterKeys) => {
      sessionStorage.setItem(storageKey(sandbox.id), JSON.stringify(next));
      setKeys(next);
    },
    [sandbox.id],
  );
  const forget = useCallback(() => {
    sessionStorage.removeItem(storageKey(sandbox.id));
    setKeys(null);
  }, [sandbox.id]);

  const once = useCallback(
    async <T,>(request: unknown, call: (headers: { 'Idempotency-Key': string }) => Promise<T>): Promise<T> => {
      const fingerprint = JSON.stringify(request);
      const retry = last.current?.open && last.current.fingerprint === fingerprint;
      const attempt = { fingerprint, key: retry ? last.current!.key : idempotencyKey(), open: true };
      last.current = attempt;
      try {
        const result = await call({ 'Idempotency-Key': attempt.key });
        attempt.open = false;
        return result;
      } catch (error) {
        if (settled(error)) attempt.open = false;
        // The store key no longer opens anything (the sandbox was reset): set the register up again.
        if (error instanceof ProblemError && error.problem.status === 401) forget();
        throw error;
      }
    },
    [forget],
  );

  const register = useMemo<RegisterSession | null>(
    () => (keys ? { ...keys, api: () => client({ token: keys.apiKey }), once, forget } : null),
    [keys, once, forget],
  );
  const value = useMemo(() => ({ register, opened }), [register, opened]);
  return <RegisterContext.Provider value={value}>{children}</RegisterContext.Provider>;
}

function useRegisterContext() {
  const context = useContext(RegisterContext);
  if (!context) throw new Error('useRegister outside RegisterProvider');
  return context;
}

/** The register set up in this tab, or null before a store is picked. */
export function useOptionalRegister(): RegisterSession | null {
  return useRegisterContext().register;
}

export function useRegister(): RegisterSession {
  const register = useOptionalRegister();
  if (!register) throw new Error('useRegister before a store was picked');
  return register;
}

export function useOpenRegister(): (keys: RegisterKeys) => void {
  return useRegisterContext().opened;
}
