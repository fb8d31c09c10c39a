import type { Phase } from './phases.js';
import type { ClaimStatus } from './refund-claims.js';

/** Payment Services Act: above this unused balance on a base date, the issuer deposits at least half of it. */
export const DEPOSIT_THRESHOLD = 10_000_000;

export interface RefundReport {
  asOf: string;
  phase: Phase;
  /** Wallets holding a balance now, and what they hold (the ledger's wallet balances). */
  walletsWithBalance: number;
  outstanding: number;
  /** Claims paid out at least once, and the yen paid (read from the ledger's refund payout account). */
  refundedCount: number;
  refunded: number;
  /** Balances with no claim waiting to be paid. */
  unclaimedCount: number;
  unclaimed: number;
  /** Balances whose claim waits (submitted, on hold, bounced). */
  awaitingPayout: { count: number; amount: number };
  claims: Record<ClaimStatus, number>;
  depositRequirement: { baseDate: string; unusedBalance: number; threshold: number; required: number };
  /** Both must hold: outstanding = awaiting + unclaimed, and the claims' payouts = the ledger's. */
  reconciles: { balances: boolean; payouts: boolean };
}

export interface UnclaimedBalance {
  walletId: string;
  balance: number;
}

/**
 * The latest base date at or before a time: the end (24:00 JST) of March 31
 * or September 30, on which the unused balance decides the deposit.
 */
export function depositBaseDate(at: Date): Date {
  const jst = new Date(at.getTime() + 9 * 3_600_000);
  const year = jst.getUTCFullYear();
  // 24:00 JST on the base day is 15:00 UTC that day.
  const candidates = [Date.UTC(year, 8, 30, 15), Date.UTC(year, 2, 31, 15), Date.UTC(year - 1, 8, 30, 15)];
  return new Date(candidates.find((t) => t <= at.getTime()) as number);
}
