import type { Payment } from './payments.repository.js';
import type { CaptureResult } from './usecases/capture-payment.js';

export interface PaymentView {
  id: string;
  object: 'payment';
  status: string;
  amount: number;
  requestedAmount: number;
  cashDue: number;
  capturedAmount: number;
  refundedAmount: number;
  walletId: string;
  storeId: string;
  terminalId: string | null;
  method: string;
  orderRef: string | null;
  category: string | null;
  createdAt: string;
  capturedAt: string | null;
  expiresAt: string | null;
}

export function paymentView(p: Payment): PaymentView {
  return {
    id: p.id,
    object: 'payment',
    status: p.status,
    amount: p.amount,
    requestedAmount: p.requestedAmount,
    cashDue: p.cashDue,
    capturedAmount: p.capturedAmount,
    refundedAmount: p.refundedAmount,
    walletId: p.walletId,
    storeId: p.storeId,
    terminalId: p.terminalId,
    method: p.method,
    orderRef: p.orderRef,
    category: p.category,
    createdAt: p.createdAt.toISOString(),
    capturedAt: p.capturedAt ? p.capturedAt.toISOString() : null,
    expiresAt: p.expiresAt ? p.expiresAt.toISOString() : null,
  };
}

/** The register's answer, without a second round trip to read the row back. */
export function capturedView(r: CaptureResult, category: string | null): PaymentView {
  return {
    id: r.id,
    object: 'payment',
    status: r.status,
    amount: r.amount,
    requestedAmount: r.requestedAmount,
    cashDue: r.cashDue,
    capturedAmount: r.status === 'captured' ? r.amount : 0,
    refundedAmount: 0,
    walletId: r.walletId,
    storeId: r.storeId,
    terminalId: r.terminalId,
    method: 'cpm',
    orderRef: r.orderRef,
    category,
    createdAt: r.createdAt,
    capturedAt: r.status === 'captured' ? r.createdAt : null,
    expiresAt: r.expiresAt,
  };
}
