import type { Schemas } from '@wallet-sandbox/client';

export type Payment = Schemas['PaymentDto'];
export type Store = Schemas['StoreDto'];

/** Answers the OpenAPI document does not describe yet: the fields the register reads. */
export interface CreatedStore extends Store {
  apiKey: string;
}

export interface Terminal {
  id: string;
  storeId: string;
  name: string;
}

export interface Refund {
  id: string;
  paymentId: string;
  amount: number;
  refundedTotal: number;
  createdAt: string;
}

export interface StoreCode {
  id: string;
  kind: 'static' | 'dynamic';
  amount: number | null;
  payload: string;
}

export interface Topup {
  id: string;
  status: 'pending' | 'succeeded' | 'failed' | 'held';
  amount: number;
  walletId: string;
  failureCode: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What the receipt printer prints: the last answer of the API to this register. */
export type Outcome =
  { kind: 'payment'; action: PaymentAction; payment: Payment; refund?: Refund; at: string } | { kind: 'topup'; topup: Topup };

export type PaymentAction = 'captured' | 'authorized' | 'capture' | 'void' | 'refund' | 'store-code' | 'view';
