import { Injectable } from '@nestjs/common';
import {
  Database,
  DomainError,
  Outbox,
  OutboxSignal,
  RequestContext,
  ServicePolicy,
  type StorePrincipal,
  Topic,
  newId,
  sha256Hex,
} from '#core';
import { isValidPaymentCode } from '#barcode';
import { toYen } from '#ledger';
import { INVALID_CODE_WINDOW_SECONDS, INVALID_CODES_PER_WINDOW, StoreThrottle } from '../store-throttle.js';

/** The most one payment may be, in yen. */
export const MAX_PAYMENT_AMOUNT = 500_000;

export interface CaptureRequest {
  code: string;
  amount: number;
  capture: boolean;
  allowPartial: boolean;
  terminalId?: string;
  orderRef?: string;
  category?: string;
}

export interface CaptureResult {
  id: string;
  status: 'captured' | 'authorized';
  amount: number;
  requestedAmount: number;
  cashDue: number;
  walletId: string;
  storeId: string;
  terminalId: string | null;
  orderRef: string | null;
  createdAt: string;
  expiresAt: string | null;
}

interface CaptureRow {
  o_outcome: string;
  o_status: 'captured' | 'authorized' | null;
  o_wallet_id: string | null;
  o_amount: string | null;
  o_cash_due: string | null;
  o_created_at: Date | null;
  o_expires_at: Date | null;
}

const REFUSALS: Record<string, () => DomainError> = {
  code_invalid: () => new DomainError('code_invalid', 'No such payment code: ask the customer to show a new one'),
  code_used: () => new DomainError('code_used', 'This code was already used'),
  code_expired: () => new DomainError('code_expired', 'This code has expired: ask the customer to show a new one'),
  limit_exceeded: () =>
    new DomainError('limit_exceeded', `A payment may be at most ¥${MAX_PAYMENT_AMOUNT}`, {
      limit: 'max_payment_amount',
      max: MAX_PAYMENT_AMOUNT,
    }),
  terminal_not_found: () => new DomainError('not_found', 'No such terminal at this store'),
  wallet_on_hold: () => new DomainError('wallet_on_hold', 'The wallet is on hold pending a fraud review: take another payment method'),
};

/**
 * The register scans a code: one round trip to Postgres does everything
 * (see capture_payment), so a queue of customers is not kept waiting.
 */
@Injectable()
export class CapturePayment {
  constructor(
    private readonly db: Database,
    private readonly signal: OutboxSignal,
    private readonly outbox: Outbox,
    private readonly throttle: StoreThrottle,
  ) {}

  async execute(store: StorePrincipal, request: CaptureRequest): Promise<CaptureResult> {
    await this.throttle.assertAllowed(store.sandbox.id, store.keyId);
    if (!isValidPaymentCode(request.code)) return this.refuseInvalid(store);
    const paymentId = newId('pay');
    const [row] = await this.db.rows<CaptureRow>(
      `SELECT * FROM capture_payment($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        store.sandbox.id,
        store.storeId,
        request.terminalId ?? null,
        sha256Hex(request.code),
        request.amount,
        request.capture,
        request.allowPartial,
        request.orderRef ?? null,
        request.category ?? null,
        MAX_PAYMENT_AMOUNT,
        paymentId,
        newId('trf'),
        newId('pnd'),
        newId('evt'),
        RequestContext.requestId(),
      ],
    );
    if (row.o_outcome === 'code_invalid') return this.refuseInvalid(store);
    if (row.o_outcome === 'insufficient_balance') {
      throw new DomainError(
        'insufficient_balance',
        `The wallet's available balance (¥${toYen(row.o_amount)}) does not cover ¥${request.amount}`,
        {
          available: toYen(row.o_amount),
        },
      );
    }
    if (row.o_outcome === 'service_suspended') throw ServicePolicy.suspended('payment', row.o_status as string);
    const refusal = REFUSALS[row.o_outcome];
    if (refusal) throw refusal();
    this.signal.wake();
    return {
      id: paymentId,
      status: row.o_status as 'captured' | 'authorized',
      amount: toYen(row.o_amount),
      requestedAmount: request.amount,
      cashDue: toYen(row.o_cash_due),
      walletId: row.o_wallet_id as string,
      storeId: store.storeId,
      terminalId: request.terminalId ?? null,
      orderRef: request.orderRef ?? null,
      createdAt: (row.o_created_at as Date).toISOString(),
      expiresAt: row.o_expires_at ? row.o_expires_at.toISOString() : null,
    };
  }

  /** An unknown code counts toward the register's guessing limit; crossing it tells the fraud rules. */
  private async refuseInvalid(store: StorePrincipal): Promise<never> {
    if (await this.throttle.recordInvalid(store.sandbox.id, store.keyId)) {
      await this.db.transaction((tx) =>
        this.outbox.publish(tx, {
          sandboxId: store.sandbox.id,
          type: Topic.StoreInvalidCodes,
          data: {
            storeId: store.storeId,
            keyId: store.keyId,
            invalidCodes: INVALID_CODES_PER_WINDOW,
            windowSeconds: INVALID_CODE_WINDOW_SECONDS,
          },
          occurredAt: store.sandbox.time.now(),
        }),
      );
    }
    throw REFUSALS.code_invalid();
  }
}
