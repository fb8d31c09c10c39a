import type { Yen } from '#core';

/** What every top-up event says. */
export interface TopupFacts {
  topupId: string;
  walletId: string;
  userId: string | null;
  channel: string;
  amount: Yen;
  cardId: string | null;
  storeId: string | null;
}

// Event types are persisted (the outbox, webhook subscriptions, customers' code): never rename one without a migration plan.
declare module '#core' {
  interface TopicPayloads {
    'card.added': { cardId: string; userId: string; walletId: string; brand: string; last4: string };
    'topup.requested': TopupFacts;
    'topup.action_required': TopupFacts & { action: string };
    'topup.authenticated': TopupFacts;
    'topup.succeeded': TopupFacts & { transferId: string; balance: Yen };
    'topup.failed': TopupFacts & { failureCode: string };
    'topup.held': TopupFacts & { pendingTransferId: string };
  }
}
