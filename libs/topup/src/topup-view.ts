import type { Topup } from './topups.repository.js';

export interface TopupView {
  id: string;
  object: 'topup';
  status: string;
  amount: number;
  channel: string;
  walletId: string;
  cardId: string | null;
  bankAccountId: string | null;
  storeId: string | null;
  failureCode: string | null;
  nextAction: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string;
}

export function topupView(t: Topup): TopupView {
  return {
    id: t.id,
    object: 'topup',
    status: t.status,
    amount: t.amount,
    channel: t.channel,
    walletId: t.walletId,
    cardId: t.cardId,
    bankAccountId: t.bankAccountId,
    storeId: t.storeId,
    failureCode: t.failureCode,
    nextAction: t.nextAction,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}
