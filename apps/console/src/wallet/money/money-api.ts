import { useCallback, useEffect, useEffectEvent, useState } from 'react';
import { answer, idempotencyKey } from '../../api.js';
import { type WalletSession } from '../wallet-session.js';

/*
 * What the money screens read from the API. Many of these answers have no
 * schema in the OpenAPI document yet: these are the fields the screens use.
 */

export interface WalletView {
  id: string;
  balance: number;
  available: number;
  status: 'active' | 'on_hold';
  holds: unknown[];
}

export interface WalletTransaction {
  id: string;
  type: string;
  amount: number;
  createdAt: string;
  reference: { channel?: string; topupId?: string; paymentId?: string; [more: string]: unknown };
}

export interface Topup {
  id: string;
  status: 'pending' | 'succeeded' | 'failed' | 'held';
  amount: number;
  channel: string;
  failureCode: string | null;
  nextAction: { type: 'three_d_secure' | 'atm_deposit'; depositCode?: string; expiresAt?: string } | null;
}

export interface Card {
  id: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

export interface Payment {
  id: string;
  status: string;
  amount: number;
  cashDue: number;
  storeId: string;
  method: string;
  createdAt: string;
}

export interface ServiceState {
  phase: string;
  capabilities: {
    payment: boolean;
    refundClaims: boolean;
    topup: Record<string, boolean>;
  };
  schedule: Array<{ to: string; effectiveAt: string; status: 'effective' | 'scheduled' }>;
  notice: { title: string; terminationAt: string; refundClaimsFrom: string; refundClaimsUntil: string } | null;
  /** The sandbox's time when it answered. */
  asOf: string;
}

/** Headers of a call that may move money: a key of its own, so a retried attempt cannot apply twice. */
export function keyed(key: string = idempotencyKey()): { headers: Record<string, string> } {
  return { headers: { 'Idempotency-Key': key } };
}

/** The wallet's balance and the service's phase, as the customer's app reads them. */
export async function readService(wallet: WalletSession): Promise<ServiceState> {
  return (await answer(wallet.api().GET('/v1/service'))) as unknown as ServiceState;
}

/**
 * Who listens for "the wallet changed" in each panel: a screen that moved
 * money announces it and the balance shown anywhere in the panel is read again.
 */
const listeners = new Map<string, Set<() => void>>();

export function walletChanged(slot: string): void {
  listeners.get(slot)?.forEach((listener) => listener());
}

/** The wallet's balance, read on mount, on demand, after `walletChanged`, and every `pollMs` while mounted. */
export function useWalletBalance(wallet: WalletSession, pollMs = 0) {
  const [view, setView] = useState<WalletView | null>(null);
  const read = useCallback(async () => {
    setView((await answer(wallet.api().GET('/v1/wallet'))) as unknown as WalletView);
  }, [wallet]);
  useOnWalletChange(wallet.slot, read, pollMs);
  return { view, read };
}

/** Runs `read` now, whenever the panel's wallet changes, and every `pollMs` (0: never); failures of a background read are ignored. */
export function useOnWalletChange(slot: string, read: () => Promise<void>, pollMs = 0): void {
  const onChange = useEffectEvent(() => void read().catch(() => undefined));
  useEffect(() => {
    const run = () => onChange();
    run();
    const set = listeners.get(slot) ?? new Set();
    listeners.set(slot, set);
    set.add(run);
    const timer = pollMs > 0 ? setInterval(run, pollMs) : undefined;
    return () => {
      set.delete(run);
      if (timer) clearInterval(timer);
    };
  }, [slot, pollMs]);
}

/** The sandbox's "now", kept from the API's own answers: the sandbox clock may run ahead of this machine's. */
export function useSandboxNow(wallet: WalletSession, tickMs = 1000) {
  const [skewMs, setSkewMs] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const sync = useCallback(async () => {
    const before = Date.now();
    const service = await readService(wallet);
    const after = Date.now();
    setSkewMs(new Date(service.asOf).getTime() - (before + after) / 2);
    return service;
  }, [wallet]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), tickMs);
    return () => clearInterval(timer);
  }, [tickMs]);
  return { sandboxNow: skewMs === null ? null : now + skewMs, sync };
}
