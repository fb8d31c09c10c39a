import type { Yen } from '#core';

// Event types are persisted (the outbox, webhook subscriptions, customers' code): never rename one without a migration plan.
declare module '#core' {
  interface TopicPayloads {
    // Wallets are the ledger's, whoever opens or funds one (registration, the sandbox's test wallets).
    'wallet.created': { walletId: string };
    'wallet.funded': { walletId: string; amount: Yen; transferId: string; balance: Yen };
    'ledger.pending_transfer.expired': { pendingTransferId: string; accountId: string; amount: Yen; code: string };
  }
}
