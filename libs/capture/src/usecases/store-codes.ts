import { Injectable } from '@nestjs/common';
import { Database, DomainError, Outbox, ServicePolicy, type StorePrincipal, Topic, type UserPrincipal, newId } from '#core';
import { buildMpm, parseMpm } from '#barcode';
import { LedgerService } from '#ledger';
import { PaymentsRepository, paymentFacts } from '../payments.repository.js';
import { Stores } from '../stores.js';
import { MAX_PAYMENT_AMOUNT } from './capture-payment.js';

export interface StoreCode {
  id: string;
  kind: 'static' | 'dynamic';
  amount: number | null;
  payload: string;
  createdAt: string;
}

/**
 * Store-presented QR (MPM): the store shows an EMVCo payload, the customer's
 * app scans and pays it. A static code carries no amount and can be paid
 * many times; an amount-bearing (dynamic) code is paid once.
 */
@Injectable()
export class StoreCodes {
  constructor(
    private readonly db: Database,
    private readonly stores: Stores,
    private readonly payments: PaymentsRepository,
    private readonly ledger: LedgerService,
    private readonly outbox: Outbox,
    private readonly policy: ServicePolicy,
  ) {}

  async issue(store: StorePrincipal, input: { amount?: number; terminalId?: string }): Promise<StoreCode> {
    if (input.amount !== undefined && input.amount > MAX_PAYMENT_AMOUNT) {
      throw new DomainError('limit_exceeded', `A payment may be at most ¥${MAX_PAYMENT_AMOUNT}`, {
        limit: 'max_payment_amount',
        max: MAX_PAYMENT_AMOUNT,
      });
    }
    const details = await this.stores.get(this.db, store.sandbox.id, store.storeId);
    const terminalLabel = input.terminalId ? await this.stores.terminalLabel(store.sandbox.id, store.storeId, input.terminalId) : undefined;
    const id = newId('stc');
    const payload = buildMpm({
      storeId: store.storeId,
      storeCodeId: id,
      merchantName: details.name,
      merchantCity: details.city,
      categoryCode: details.categoryCode,
      amount: input.amount,
      terminalLabel,
    });
    const now = store.sandbox.time.now();
    await this.db.rows(
      `INSERT INTO capture_store_codes (sandbox_id, id, store_id, terminal_id, amount, payload, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'active', $7)`,
      [store.sandbox.id, id, store.storeId, input.terminalId ?? null, input.amount ?? null, payload, now],
    );
    return {
      id,
      kind: input.amount === undefined ? 'static' : 'dynamic',
      amount: input.amount ?? null,
      payload,
      createdAt: now.toISOString(),
    };
  }

  async payload(store: StorePrincipal, id: string): Promise<string> {
    const [row] = await this.db.rows<{ payload: string }>(
      `SELECT payload FROM capture_store_codes WHERE sandbox_id = $1 AND id = $2 AND store_id = $3`,
      [store.sandbox.id, id, store.storeId],
    );
    if (!row) throw DomainError.notFound('store code', id);
    return row.payload;
  }

  /** The customer pays a scanned store code from the wallet. */
  async pay(me: UserPrincipal, input: { payload: string; amount?: number }) {
    let scanned;
    try {
      scanned = parseMpm(input.payload);
    } catch (error) {
      throw new DomainError('code_invalid', `This is not a payable store code: ${(error as Error).message}`);
    }
    await this.policy.assertOpen(me.sandbox, 'payment');
    return this.db.transaction(async (tx) => {
      const [code] = await tx.rows<{ store_id: string; terminal_id: string | null; amount: string | null; status: string }>(
        `SELECT store_id, terminal_id, amount, status FROM capture_store_codes WHERE sandbox_id = $1 AND id = $2 FOR UPDATE`,
        [me.sandbox.id, scanned.storeCodeId],
      );
      if (!code || code.store_id !== scanned.storeId) throw new DomainError('code_invalid', 'No such store code in this sandbox');
      if (code.status === 'used') throw new DomainError('code_used', 'This store code was already paid');
      const fixed = code.amount === null ? null : Number(code.amount);
      if (fixed !== null && input.amount !== undefined && input.amount !== fixed) {
        throw DomainError.invalid([{ field: 'amount', message: `must be absent or equal to the code's ¥${fixed}` }]);
      }
      const amount = fixed ?? input.amount;
      if (amount === undefined) throw DomainError.invalid([{ field: 'amount', message: 'is required for a static store code' }]);
      if (amount > MAX_PAYMENT_AMOUNT)
        throw new DomainError('limit_exceeded', `A payment may be at most ¥${MAX_PAYMENT_AMOUNT}`, {
          limit: 'max_payment_amount',
          max: MAX_PAYMENT_AMOUNT,
        });

      const id = newId('pay');
      const now = me.sandbox.time.now();
      const transfer = await this.ledger.transfer(tx, {
        sandboxId: me.sandbox.id,
        key: `payment/${id}`,
        debit: me.walletId,
        credit: code.store_id,
        amount,
        code: 'payment',
        metadata: { paymentId: id },
        at: now,
      });
      await this.payments.insertDirect(tx, {
        sandboxId: me.sandbox.id,
        id,
        storeId: code.store_id,
        terminalId: code.terminal_id,
        walletId: me.walletId,
        userId: me.userId,
        amount,
        transferId: transfer.id,
        at: now,
      });
      if (fixed !== null)
        await tx.rows(`UPDATE capture_store_codes SET status = 'used', payment_id = $3, used_at = $4 WHERE sandbox_id = $1 AND id = $2`, [
          me.sandbox.id,
          scanned.storeCodeId,
          id,
          now,
        ]);
      const payment = await this.payments.find(tx, me.sandbox.id, id, null);
      await this.outbox.emit(tx, me.sandbox, Topic.PaymentCaptured, {
        ...paymentFacts(payment),
        cashDue: 0,
        walletBalance: transfer.debitBalance,
      });
      return payment;
    });
  }
}
