import type { Count, Yen } from '#core';

/** What every service transition event says. */
export interface ServiceTransitionFacts {
  transitionId: string;
  to: string;
  effectiveAt: string;
  reason: string | null;
  notice: { terminationAt: string; refundClaimsFrom: string; refundClaimsUntil: string } | null;
}

/** What every refund claim event says. */
export interface RefundClaimFacts {
  claimId: string;
  walletId: string;
  userId: string | null;
  method: 'bank_transfer' | 'postal_payout';
  amount: Yen;
}

// Event types are persisted (the outbox, webhook subscriptions, customers' code): never rename one without a migration plan.
declare module '#core' {
  interface TopicPayloads {
    'service.transition_scheduled': ServiceTransitionFacts;
    'service.phase_changed': ServiceTransitionFacts & { from: string };
    'service.password_reset_forced': { reason: string | null };
    'refund_claim.submitted': RefundClaimFacts;
    /** correctedBy: the customer, or the operator (secret key) who corrected it. */
    'refund_claim.corrected': RefundClaimFacts & { correctedBy: string };
    'refund_claim.held': RefundClaimFacts & { reason: string | null };
    'refund_claim.released': RefundClaimFacts & { reason: string | null };
    'refund_claim.paid': RefundClaimFacts & { paidAmount: Yen; transferId: string; runId: string };
    'refund_claim.bounced': RefundClaimFacts & { failureCode: string; runId: string };
    'refund_payout.run_started': { runId: string; trigger: string };
    'refund_payout.run_completed': { runId: string; batches: Count; paid: Count; amount: Yen; bounced: Count; held: Count };
  }
}
