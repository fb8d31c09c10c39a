import type { Count, Yen } from '#core';

/** What every payment event says; the fraud rules read these. */
export interface PaymentFacts {
  paymentId: string;
  storeId: string;
  terminalId: string | null;
  walletId: string;
  userId: string | null;
  method: 'cpm' | 'mpm';
  amount: Yen;
  status: string;
  category: string | null;
}

// Event types are persisted (the outbox, webhook subscriptions, customers' code): never rename one without a migration plan.
declare module '#core' {
  interface TopicPayloads {
    'payment.authorized': PaymentFacts & { expiresAt: string };
    /** walletBalance: what the wallet holds after the payment. */
    'payment.captured': PaymentFacts & { cashDue: Yen; walletBalance: Yen | null };
    'payment.voided': PaymentFacts;
    'payment.expired': PaymentFacts;
    'payment.refunded': PaymentFacts & { refundId: string; refundAmount: Yen; refundedTotal: Yen };
    'store.created': { storeId: string; name: string };
    'store.invalid_codes': { storeId: string; keyId: string; invalidCodes: Count; windowSeconds: Count };
  }
}
