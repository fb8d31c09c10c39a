import { type BankAccountBody, DomainError, type SealedRow, type Secrets } from '#core';
import type { RefundClaimFacts } from './lifecycle.events.js';

export const CLAIM_STATUSES = ['submitted', 'on_hold', 'bounced', 'paid'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];
export type PayoutMethod = 'bank_transfer' | 'postal_payout';

/** A payout to this account number bounces: the bank knows no such account. */
export const BOUNCING_ACCOUNT_NUMBER = '0000404';
/** Bank accounts are sealed under this purpose, each bound to its claim's row. */
export const BANK_ACCOUNT_PURPOSE = 'refund-bank-account';

export interface BankSummary {
  bankCode: string;
  branchCode: string;
  accountNumberLast4: string;
  holder: string;
}

export interface RefundClaim {
  id: string;
  walletId: string;
  userId: string | null;
  method: PayoutMethod;
  bankAccount: BankSummary | null;
  status: ClaimStatus;
  failureCode: string | null;
  /** The balance when the claim was made. */
  amount: number;
  /** What was paid out so far (a store refund after the payout is paid too). */
  paidAmount: number;
  slipNumber: string | null;
  filedBy: string;
  createdAt: string;
  updatedAt: string;
  paidAt: string | null;
}

export const claimFacts = (c: {
  id: string;
  walletId: string;
  userId: string | null;
  method: PayoutMethod;
  amount: number;
}): RefundClaimFacts => ({
  claimId: c.id,
  walletId: c.walletId,
  userId: c.userId,
  method: c.method,
  amount: c.amount,
});

export function checkMethod(method: PayoutMethod, bankAccount: BankAccountBody | undefined): void {
  if (method === 'bank_transfer' && !bankAccount)
    throw DomainError.invalid([{ field: 'bankAccount', message: 'is required for a bank transfer' }]);
  if (method === 'postal_payout' && bankAccount)
    throw DomainError.invalid([{ field: 'bankAccount', message: 'is only for a bank transfer' }]);
}

/** A bank account as a claim keeps it: sealed whole, and a summary safe to show. */
export function sealBankAccount(secrets: Secrets, claim: SealedRow, account: BankAccountBody): { sealed: string; summary: BankSummary } {
  return {
    sealed: secrets.seal(BANK_ACCOUNT_PURPOSE, claim, JSON.stringify(account)),
    summary: {
      bankCode: account.bankCode,
      branchCode: account.branchCode,
      accountNumberLast4: account.accountNumber.slice(-4),
      holder: account.holder,
    },
  };
}

/** The account number a payout goes to (bank transfers only). */
export function accountNumberOf(secrets: Secrets, claim: SealedRow, sealed: string): string {
  return (JSON.parse(secrets.open(BANK_ACCOUNT_PURPOSE, claim, sealed)) as BankAccountBody).accountNumber;
}
