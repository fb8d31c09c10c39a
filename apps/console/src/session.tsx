import { type ReactNode, createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type Problem, ProblemError, answer, client } from './api.js';
import type { Schemas } from '@wallet-sandbox/client';

type SandboxView = Schemas['SandboxDto'];

export interface ServiceView {
  phase: string;
  [more: string]: unknown;
}

export interface SandboxSession {
  secretKey: string;
  publishableKey: string;
  sandbox: SandboxView;
  service: ServiceView | null;
  /** Reads the sandbox's clock and phase again (after a clock move, or when a panel changed them). */
  refresh: () => Promise<void>;
  /** Switches the console to another sandbox (a replay's own), in every room. */
  enter: (keys: StoredKeys) => void;
  leave: () => void;
}

const KEYS = 'wallet-sandbox:keys';
const SessionContext = createContext<SandboxSession | null>(null);

export interface StoredKeys {
  secretKey: string;
  publishableKey: string;
}

/**
 * The keys live in this tab's session storage only. A link from `npm start`
 * carries them in the fragment, which browsers never send to a server; it is
 * wiped from the address bar at once.
 */
function keysFromLink(): Partial<StoredKeys> {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const secretKey = fragment.get('sk') ?? undefined;
  if (!secretKey) return {};
  history.replaceState(null, '', window.location.pathname + window.location.search);
  return { secretKey, publishableKey: fragment.get('pk') ?? undefined };
}

function storedKeys(): StoredKeys | null {
  const raw = sessionStorage.getItem(KEYS);
  return raw ? (JSON.parse(raw) as StoredKeys) : null;
}

/** Opens a sandbox with its secret key; the customer-side calls get a publishable key of their own unless one was given. */
export async function enterSandbox(secretKey: string, publishableKey?: string): Promise<StoredKeys> {
  const secret = client({ token: secretKey });
  await answer(secret.GET('/v1/sandbox'));
  const keys = {
    secretKey,
    publishableKey: publishableKey ?? (await answer(secret.POST('/v1/sandbox/publishable-keys'))).publishableKey,
  };
  sessionStorage.setItem(KEYS, JSON.stringify(keys));
  return keys;
}

interface SessionProviderProps {
  children: ReactNode;
  /** What shows while no sandbox is open: the enter page, told how to open one. */
  fallback: (state: { problem: Problem | null; loading: boolean; entered: (keys: StoredKeys) => void }) => ReactNode;
}

export function SessionProvider({ children, fallback }: SessionProviderProps) {
  const [keys, setKeys] = useState<StoredKeys | null>(storedKeys);
  const [linkKeys] = useState(keysFromLink);
  const [sandbox, setSandbox] = useState<SandboxView | null>(null);
  const [service, setService] = useState<ServiceView | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    if (!linkKeys.secretKey) return;
    enterSandbox(linkKeys.secretKey, linkKeys.publishableKey).then(setKeys, (error: unknown) => {
      if (error instanceof ProblemError) setProblem(error.problem);
    });
  }, [linkKeys]);

  const refresh = useCallback(async () => {
    if (!keys) return;
    const secret = client({ token: keys.secretKey });
    try {
      const [view, phase] = await Promise.all([answer(secret.GET('/v1/sandbox')), answer(secret.GET('/v1/service'))]);
      setSandbox(view);
      setService(phase as unknown as ServiceView);
    } catch (error) {
      if (error instanceof ProblemError) setProblem(error.problem);
      if (error instanceof ProblemError && error.problem.status === 401) leaveSandbox(setKeys);
    }
  }, [keys]);

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- a fetch: its state is set when the API answers
    void refresh();
  }, [refresh]);

  const value = useMemo<SandboxSession | null>(
    () =>
      keys && sandbox
        ? { ...keys, sandbox, service, refresh, enter: (next) => switchSandbox(next, setKeys), leave: () => leaveSandbox(setKeys) }
        : null,
    [keys, sandbox, service, refresh],
  );
  if (!value) return <>{fallback({ problem, loading: Boolean(keys || linkKeys.secretKey) && !problem, entered: setKeys })}</>;
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

function switchSandbox(keys: StoredKeys, setKeys: (keys: StoredKeys | null) => void): void {
  sessionStorage.setItem(KEYS, JSON.stringify(keys));
  setKeys(keys);
}

function leaveSandbox(setKeys: (keys: StoredKeys | null) => void): void {
  sessionStorage.clear();
  setKeys(null);
}

export function useSession(): SandboxSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside an open sandbox');
  return session;
}
