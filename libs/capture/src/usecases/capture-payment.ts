import { Injectable } from '@nestjs/common';
import { Database, DomainError, Outbox, OutboxSignal, RequestContext, ServicePolicy, type StorePrincipal, newId, sha256Hex } from '#core';
import { isValidPaymentCode } from '#barcode';
import { MAX_PAYMENT_AMOUNT, paymentLimitExceeded, stepUpAllowanceExceeded } from '../payment-limits.js';
import { PaymentsRepository } from '../payments.repository.js';
import { INVALID_CODE_WINDOW_SECONDS, INVALID_CODES_PER_WINDOW, StoreThrottle } from '../store-throttle.js';

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

const REFUSALS: Record<string, () => DomainError> = {
  code_invalid: () => new DomainError('code_invalid', 'No such payment code: ask the customer to show a new one'),
  code_used: () => new DomainError('code_used', 'This code was already used'),
  code_expired: () => new DomainError('code_expired', 'This code has expired: ask the customer to show a new one'),
  limit_exceeded: paymentLimitExceeded,
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
    private readonly payments: PaymentsRepository,
    private readonly signal: OutboxSignal,
    private readonly outbox: Outbox,
    private readonly throttle: StoreThrottle,
  ) {}

  async execute(store: StorePrincipal, request: CaptureRequest): Promise<CaptureResult> {
    await this.throttle.assertAllowed(store.sandbox.id, store.keyId);
    if (!isValidPaymentCode(request.code)) return this.refuseInvalid(store);
    const paymentId = newId('pay');
    const taken = await this.payments.capture(this.db, {
      sandboxId: store.sandbox.id,
      storeId: store.storeId,
      terminalId: request.terminalId ?? null,
      codeHash: sha256Hex(request.code),
      amount: request.amount,
      capture: request.capture,
      allowPartial: request.allowPartial,
      orderRef: request.orderRef ?? null,
      category: request.category ?? null,
      maxAmount: MAX_PAYMENT_AMOUNT,
      paymentId,
      transferId: newId('trf'),
      pendingId: newId('pnd'),
      eventId: newId('evt'),
      requestId: RequestContext.requestId(),
    });
    if (taken.outcome === 'code_invalid') return this.refuseInvalid(store);
    if (taken.outcome === 'insufficient_balance') {
      throw new DomainError('insufficient_balance', `The wallet's available balance (¥${taken.amount}) does not cover ¥${request.amount}`, {
        available: taken.amount,
      });
    }
    if (taken.outcome === 'service_suspended') throw ServicePolicy.suspended('payment', taken.status as string);
    if (taken.outcome === 'step_up_allowance_exceeded') throw stepUpAllowanceExceeded(taken.amount as number);
    const refusal = REFUSALS[taken.outcome];
    if (refusal) throw refusal();
    this.signal.wake();
    return {
      id: paymentId,
      status: taken.status as 'captured' | 'authorized',
      amount: taken.amount,
      requestedAmount: request.amount,
      cashDue: taken.cashDue,
      walletId: taken.walletId as string,
      storeId: store.storeId,
      terminalId: request.terminalId ?? null,
      orderRef: request.orderRef ?? null,
      createdAt: (taken.createdAt as Date).toISOString(),
      expiresAt: taken.expiresAt ? taken.expiresAt.toISOString() : null,
    };
  }

  /** An unknown code counts toward the register's guessing limit; crossing it tells the fraud rules. */
  private async refuseInvalid(store: StorePrincipal): Promise<never> {
    if (await this.throttle.recordInvalid(store.sandbox.id, store.keyId)) {
      await this.db.transaction((tx) =>
        this.outbox.publish(tx, {
          sandboxId: store.sandbox.id,
          type: 'store.invalid_codes',
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
