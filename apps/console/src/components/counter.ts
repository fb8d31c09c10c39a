import { useEffect, useState } from 'react';

/**
 * What lies on the counter between panels of one page: the payment code a
 * wallet panel shows, and the store QR a register shows. On the
 * side-by-side page the register "scans" a wallet's screen, and a wallet
 * "scans" the register's QR, from here.
 */
export interface ShownCode {
  /** The panel showing it: a wallet slot ('a', 'b') or 'register'. */
  from: string;
  kind: 'payment-code' | 'store-code';
  /** What a scanner would read: the code's digits, or the store QR's payload. */
  value: string;
  expiresAt?: string;
}

const shown = new Map<string, ShownCode>();
const listeners = new Set<() => void>();

export function showOnCounter(code: ShownCode): void {
  shown.set(`${code.from}:${code.kind}`, code);
  listeners.forEach((listener) => listener());
}

export function takeOffCounter(from: string, kind: ShownCode['kind']): void {
  if (shown.delete(`${from}:${kind}`)) listeners.forEach((listener) => listener());
}

/** The codes of one kind shown right now, by any panel on the page. */
export function useCounter(kind: ShownCode['kind']): ShownCode[] {
  const [codes, setCodes] = useState<ShownCode[]>(() => [...shown.values()].filter((code) => code.kind === kind));
  useEffect(() => {
    const update = () => setCodes([...shown.values()].filter((code) => code.kind === kind));
    listeners.add(update);
    return () => {
      listeners.delete(update);
    };
  }, [kind]);
  return codes;
}
