import type { Schemas } from '@wallet-sandbox/client';

export type RefundClaim = Schemas['RefundClaimDto'];
export type PayoutRun = Schemas['PayoutRunDto'];
export type RefundReport = Schemas['RefundReportDto'];
export type UnclaimedBalance = Schemas['UnclaimedBalanceDto'];

export const CLAIM_STATUSES = ['submitted', 'on_hold', 'bounced', 'paid'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export interface Page<T> {
  data: T[];
  has_more: boolean;
}
