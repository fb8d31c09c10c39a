import { Injectable } from '@nestjs/common';
import { Database, DomainError, Outbox, type SandboxContext, ServicePolicy, type StorePrincipal, type Tx, newId } from '#core';
import { LedgerService } from '#ledger';
import { type Payment, PaymentsRepository } from '../payments.repository.js';

/**
 * What happens to a payment after the register's first call: capturing or
 * voiding a pre-authorisation, its expiry after 7 days, and refunds. Each
 * runs in one transaction with the payment row locked, so it happens once.
 */
@Injectable()
export class SettlePayment {
  constructor(
    private readonly db: Database,
    private readonly payments: PaymentsRepository,
    private readonly ledger: LedgerService,
    private readonly outbox: Outbox,
    private readonly policy: ServicePolicy,
  ) {}

  /**
   * Captures up to the authorised amount; the rest of the reservation is released.
   * Refused as a register's scan would be: once the service phase forbids
   * payments, and while the wallet is on hold (the ledger checks that as it
   * debits). A void is always allowed: it only gives money back.
   */
  async capture(store: StorePrincipal, paymentId: string, amount?: number): Promise<Payment> {
    await this.policy.assertOpen(store.sandbox, 'payment');
    return this.db.transaction(async (tx) => {
      const payment = await this.locked(tx, store.sandbox.id, paymentId, store.storeId);
      assertAuthorized(payment, store.sandbox);
      if (amount !== undefined && amount > payment.amount) {
        throw new DomainError('amount_exceeds_pending', `At most the authorised ¥${payment.amount} can be captured`, {
          authorized: payment.amount,
        });
      }
      const now = store.sandbox.time.now();
      const transfer = await this.ledger
        .postPending(tx, store.sandbox.id, payment.pendingId as string, amount ?? null, now)
        .catch((error: unknown) => {
          throw error instanceof DomainError && error.code === 'pending_transfer_not_pending' && error.extra.transferStatus === 'expired'
            ? expired(payment)
            : error;
        });
      const captured = amount ?? payment.amount;
      await this.payments.markCaptured(tx, store.sandbox.id, payment.id, captured, transfer.id, now);
      const updated = { ...payment, status: 'captured' as const, amount: captured, capturedAmount: captured, capturedAt: now };
      const walletBalance = (await this.ledger.walletBalance(tx, store.sandbox.id, payment.walletId))?.balance ?? null;
      const facts = await this.payments.facts(tx, store.sandbox.id, payment.id);
      await this.outbox.emit(tx, store.sandbox, 'payment.captured', { ...facts, cashDue: 0, walletBalance });
      return updated;
    });
  }

  async void(store: StorePrincipal, paymentId: string): Promise<Payment> {
    return this.db.transaction(async (tx) => {
      const payment = await this.locked(tx, store.sandbox.id, paymentId, store.storeId);
      assertAuthorized(payment, store.sandbox);
      return this.release(tx, store.sandbox, payment);
    });
  }

  /**
   * Fraud was confirmed: the wallet's authorizations since the case began
   * were the attacker's. Each is voided, so the money they reserve is the
   * victim's again before compensation reverses the attacker's top-ups.
   */
  async voidSince(sandbox: SandboxContext, walletId: string, since: Date): Promise<void> {
    for (const id of await this.payments.authorizedSince(this.db, sandbox.id, walletId, since)) {
      await this.db.transaction(async (tx) => {
        const payment = await this.locked(tx, sandbox.id, id, null);
        if (payment.status === 'authorized') await this.release(tx, sandbox, payment);
      });
    }
  }

  /** The payment, its row locked until commit; a payment the store (or, with no store, the sandbox) does not have is not found. */
  private async locked(tx: Tx, sandboxId: string, paymentId: string, storeId: string | null): Promise<Payment> {
    const payment = await this.payments.find(tx, sandboxId, paymentId, storeId, true);
    if (!payment) throw DomainError.notFound('payment', paymentId);
    return payment;
  }

  /** Voids a locked authorization: the ledger releases what it reserved. */
  private async release(tx: Tx, sandbox: SandboxContext, payment: Payment): Promise<Payment> {
    const now = sandbox.time.now();
    await this.ledger.voidPending(tx, sandbox.id, payment.pendingId as string, now);
    await this.payments.endAuthorization(tx, sandbox.id, payment.id, 'voided', now);
    const updated = { ...payment, status: 'voided' as const };
    await this.outbox.emit(tx, sandbox, 'payment.voided', await this.payments.facts(tx, sandbox.id, payment.id));
    return updated;
  }

  /** The ledger expired the reservation (the sandbox clock passed 7 days): the payment follows, once. */
  async expire(sandbox: SandboxContext, pendingId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const payment = await this.payments.findByPending(tx, sandbox.id, pendingId);
      if (!payment || !(await this.payments.endAuthorization(tx, sandbox.id, payment.id, 'expired', sandbox.time.now()))) return;
      await this.outbox.emit(tx, sandbox, 'payment.expired', await this.payments.facts(tx, sandbox.id, payment.id));
    });
  }

  /** Refunds to the wallet, never more than was captured; also after the service ended (the lifecycle pays the wallet out). */
  async refund(
    store: StorePrincipal,
    paymentId: string,
    amount?: number,
  ): Promise<{ id: string; paymentId: string; amount: number; refundedTotal: number; createdAt: string }> {
    return this.db.transaction(async (tx) => {
      const payment = await this.locked(tx, store.sandbox.id, paymentId, store.storeId);
      if (payment.status !== 'captured') {
        throw new DomainError('invalid_payment_state', `Only a captured payment can be refunded; this one is ${payment.status}`, {
          paymentStatus: payment.status,
        });
      }
      const refundable = payment.capturedAmount - payment.refundedAmount;
      const value = amount ?? refundable;
      if (value <= 0 || value > refundable) {
        throw new DomainError('amount_exceeds_refundable', `At most ¥${refundable} is left to refund`, { refundable });
      }
      const id = newId('ref');
      const now = store.sandbox.time.now();
      const transfer = await this.ledger.transfer(tx, {
        sandboxId: store.sandbox.id,
        key: `refund/${id}`,
        debit: store.storeId,
        credit: payment.walletId,
        amount: value,
        code: 'refund',
        metadata: { paymentId: payment.id, refundId: id },
        at: now,
      });
      const refundedTotal = await this.payments.addRefund(tx, {
        sandboxId: store.sandbox.id,
        id,
        paymentId: payment.id,
        amount: value,
        transferId: transfer.id,
        at: now,
      });
      await this.outbox.emit(tx, store.sandbox, 'payment.refunded', {
        ...(await this.payments.facts(tx, store.sandbox.id, payment.id)),
        refundId: id,
        refundAmount: value,
        refundedTotal,
      });
      return { id, paymentId: payment.id, amount: value, refundedTotal, createdAt: now.toISOString() };
    });
  }
}

function assertAuthorized(payment: Payment, sandbox: SandboxContext): void {
  if (payment.status === 'expired' || (payment.status === 'authorized' && payment.expiresAt && payment.expiresAt <= sandbox.time.now()))
    throw expired(payment);
  if (payment.status !== 'authorized') {
    throw new DomainError('invalid_payment_state', `Only an authorized payment can be captured or voided; this one is ${payment.status}`, {
      paymentStatus: payment.status,
    });
  }
}

function expired(payment: Payment): DomainError {
  return new DomainError('authorization_expired', `The authorization of ${payment.id} expired; take a new payment`);
}
