/** System accounts every sandbox has: where money enters and leaves the wallets. */
export enum SystemAccount {
  SandboxFunding = 'system:sandbox_funding',
  TopupCard = 'system:topup:card',
  TopupBankDebit = 'system:topup:bank_debit',
  TopupAtm = 'system:topup:atm',
  TopupRegisterCash = 'system:topup:register_cash',
  TopupPoints = 'system:topup:points',
  RefundPayouts = 'system:refund_payouts',
  FraudLosses = 'system:fraud_losses',
  Fees = 'system:fees',
}

export type AccountKind = 'wallet' | 'store' | 'system';

/** Why money moved; reconciliation reports wallet flows by these. */
export type TransferCode = 'sandbox_funding' | 'topup' | 'payment' | 'refund' | 'payout' | 'reversal' | 'compensation' | 'fee';

export interface TransferRequest {
  sandboxId: string;
  /** Unique per sandbox: posting the same key again is a no-op that returns the original. */
  key: string;
  debit: string;
  credit: string;
  amount: number;
  code: TransferCode;
  metadata?: Record<string, unknown>;
  /** Sandbox time of the posting. */
  at: Date;
}

export interface Transfer {
  id: string;
  replayed: boolean;
  /** New balances of the wallet sides (null for store and system accounts). */
  debitBalance: number | null;
  creditBalance: number | null;
}

export interface ReserveRequest extends TransferRequest {
  expiresAt: Date | null;
}

export interface PendingTransfer {
  id: string;
  replayed: boolean;
}

export type PendingStatus = 'pending' | 'posted' | 'voided' | 'expired';

/** An open hold on a wallet, as its owner sees it. */
export interface WalletHoldView {
  id: string;
  reason: string;
  /** Sandbox time, ISO 8601. */
  placedAt: string;
}

export interface WalletBalance {
  balance: number;
  /** Balance less what pending transfers hold. */
  available: number;
}

/** Converts a bigint column (pg returns text) to a number; yen amounts stay within safe integers. */
export function toYen(value: string | number | null): number {
  const n = Number(value ?? 0);
  if (!Number.isSafeInteger(n)) throw new Error(`amount ${value} exceeds the safe integer range`);
  return n;
}

export type PayoutOutcome = 'posted' | 'replayed' | 'wallet_on_hold' | 'nothing_to_pay' | 'account_not_found';

export interface PayoutResult {
  walletId: string;
  outcome: PayoutOutcome;
  transferId: string | null;
  amount: number;
}
