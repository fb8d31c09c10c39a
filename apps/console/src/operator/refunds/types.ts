import type { Schemas } from '@wallet-sandbox/client';

export type RefundClaim = Schemas['RefundClaimDto'];
export type RunProgress = Schemas['PayoutRunProgressDto'];

export const CLAIM_STATUSES = ['submitted', 'on_hold', 'bounced', 'paid'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export interface Page<T> {
  data: T[];
  has_more: boolean;
}

/** GET /v1/payout-runs, one run. */
export interface PayoutRun {
  id: string;
  status: 'running' | 'completed';
  trigger: string;
  batches: number;
  paid: number;
  amount: number;
  bounced: number;
  held: number;
  startedAt: string;
  finishedAt: string | null;
}

/** GET /v1/reports/refunds. */
export interface RefundReport {
  asOf: string;
  phase: string;
  walletsWithBalance: number;
  outstanding: number;
  refundedCount: number;
  refunded: number;
  unclaimedCount: number;
  unclaimed: number;
  awaitingPayout: { count: number; amount: number };
  claims: Record<ClaimStatus, number>;
  depositRequirement: { baseDate: string; unusedBalance: number; threshold: number; required: number };
  reconciles: { balances: boolean; payouts: boolean };
}

export interface UnclaimedBalance {
  walletId: string;
  balance: number;
}
