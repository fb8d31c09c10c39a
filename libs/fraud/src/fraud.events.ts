import type { Yen } from '#core';
import type { TopupFacts } from '#topup';

// Event types are persisted (the outbox, webhook subscriptions, customers' code): never rename one without a migration plan.
declare module '#core' {
  interface TopicPayloads {
    /** The screening's decision on a requested top-up: the top-up module funds it, holds it or fails it. */
    'fraud.topup_screened': TopupFacts & { decision: 'approve' | 'hold' | 'decline'; screeningId: string; reasons: string[] };
    /** The fraud screening of a top-up failed on every attempt: no decision was made, and the top-up fails (`screening_failed`). */
    'fraud.topup_screening_failed': TopupFacts;
    'hold.placed': { holdId: string; walletId: string; userId: string | null; reason: string; score: number; rules: string[] };
    /** resolution: an operator released it, it expired unreviewed, or its confirmed fraud was compensated. */
    'hold.released': { holdId: string; walletId: string; topupIds: string[]; resolution: 'released' | 'expired' | 'compensated' };
    'fraud.confirmed': {
      holdId: string;
      victimId: string;
      walletId: string;
      userId: string | null;
      windowStart: string;
      topupIds: string[];
    };
    /** A rule hit something that cannot be held (a store, an IP address): recorded and announced, once per window. */
    'fraud.alert_raised': {
      rule: string;
      subjectType: 'store' | 'ip';
      subjectId: string;
      score: number;
      inputs: Record<string, unknown>;
    };
    'compensation.paid': {
      victimId: string;
      holdId: string;
      walletId: string;
      reimbursed: Yen;
      reversed: Yen;
      reversedTopupIds: string[];
    };
    'fraud.step_up_demanded': { userId: string; walletId: string | null; score: number; rules: string[] };
  }
}
