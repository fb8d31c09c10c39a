import type { AccountKind, PendingStatus } from './ledger.types.js';

/** An account as the operator reads it. */
export interface AccountView {
  id: string;
  kind: AccountKind;
  /** Wallets: the stored balance; stores and system accounts: the sum of their entries. */
  balance: number;
  /** Wallets: balance less what open pending transfers reserve; others: the balance. */
  available: number;
  reserved: number;
  /** Open fraud holds on the wallet (its payments are refused while any is open). */
  holds: number;
  createdAt: string;
}

export interface AccountTransfer {
  id: string;
  code: string;
  /** Signed for the account read: positive when money came in. */
  amount: number;
  debitAccountId: string;
  creditAccountId: string;
  postedAt: string;
  metadata: Record<string, unknown>;
}

export interface AccountPendingTransfer {
  id: string;
  code: string;
  amount: number;
  debitAccountId: string;
  creditAccountId: string;
  status: PendingStatus;
  createdAt: string;
  expiresAt: string | null;
  resolvedAt: string | null;
  postedAmount: number | null;
  transferId: string | null;
}
