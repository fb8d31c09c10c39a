import { Injectable } from '@nestjs/common';
import { type ClientFacts, Database, DomainError, Outbox, ServicePolicy, type UserPrincipal, newId } from '#core';
import { parseMpm } from '#barcode';
import { StepUp } from '#identity';
import { LedgerService } from '#ledger';
import { MAX_PAYMENT_AMOUNT, paymentLimitExceeded } from '../payment-limits.js';
import { type Payment, PaymentsRepository } from '../payments.repository.js';
import { StoreCodesRepository } from '../store-codes.repository.js';

/** Said by the payment's transaction when the wallet's step-up allowance does not cover it. */
const BEYOND_ALLOWANCE = Symbol('beyond the step-up allowance');

/**
 * The customer pays a scanned store code (MPM) from the wallet; an amount-bearing code is paid once.
 * Beyond the sandbox's step-up allowance, the customer passes a second factor first.
 */
@Injectable()
export class PayStoreCode {
  constructor(
    private readonly db: Database,
    private readonly codes: StoreCodesRepository,
    private readonly payments: PaymentsRepository,
    private readonly ledger: LedgerService,
    private readonly outbox: Outbox,
    private readonly policy: ServicePolicy,
    private readonly stepUp: StepUp,
  ) {}

  async execute(me: UserPrincipal, input: { payload: string; amount?: number }, client: ClientFacts): Promise<Payment> {
    const paid = await this.pay(me, input);
    if (paid !== BEYOND_ALLOWANCE) return paid;
    await this.stepUp.require(me, client);
    throw new Error('capture: a payment beyond the step-up allowance went through without a second factor');
  }

  private async pay(me: UserPrincipal, input: { payload: string; amount?: number }): Promise<Payment | typeof BEYOND_ALLOWANCE> {
    let scanned;
    try {
      scanned = parseMpm(input.payload);
    } catch (error) {
      throw new DomainError('code_invalid', `This is not a payable store code: ${(error as Error).message}`);
    }
    await this.policy.assertOpen(me.sandbox, 'payment');
    return this.db.transaction(async (tx) => {
      const code = await this.codes.findForPayment(tx, me.sandbox.id, scanned.storeCodeId);
      if (!code || code.storeId !== scanned.storeId) throw new DomainError('code_invalid', 'No such store code in this sandbox');
      if (code.status === 'used') throw new DomainError('code_used', 'This store code was already paid');
      const fixed = code.amount;
      if (fixed !== null && input.amount !== undefined && input.amount !== fixed) {
        throw DomainError.invalid([{ field: 'amount', message: `must be absent or equal to the code's ¥${fixed}` }]);
      }
      const amount = fixed ?? input.amount;
      if (amount === undefined) throw DomainError.invalid([{ field: 'amount', message: 'is required for a static store code' }]);
      if (amount > MAX_PAYMENT_AMOUNT) throw paymentLimitExceeded();

      const id = newId('pay');
      const now = me.sandbox.time.now();
      const allowance = this.stepUp.paymentAllowance(me);
      if (allowance !== null && (await this.ledger.walletAllowance(tx, me.sandbox.id, me.walletId, allowance, now, true)) < amount) {
        return BEYOND_ALLOWANCE;
      }
      const transfer = await this.ledger.transfer(tx, {
        sandboxId: me.sandbox.id,
        key: `payment/${id}`,
        debit: me.walletId,
        credit: code.storeId,
        amount,
        code: 'payment',
        metadata: { paymentId: id },
        at: now,
      });
      await this.payments.insertDirect(tx, {
        sandboxId: me.sandbox.id,
        id,
        storeId: code.storeId,
        terminalId: code.terminalId,
        walletId: me.walletId,
        userId: me.userId,
        amount,
        transferId: transfer.id,
        at: now,
      });
      if (fixed !== null) await this.codes.markUsed(tx, me.sandbox.id, scanned.storeCodeId, id, now);
      const payment = await this.payments.find(tx, me.sandbox.id, id, null);
      if (!payment) throw new Error(`capture: payment ${id} is missing in the transaction that wrote it`);
      await this.outbox.emit(tx, me.sandbox, 'payment.captured', {
        ...(await this.payments.facts(tx, me.sandbox.id, id)),
        cashDue: 0,
        walletBalance: transfer.debitBalance,
      });
      return payment;
    });
  }
}
