import { Injectable } from '@nestjs/common';
import { Database, type StorePrincipal, newId } from '#core';
import { buildMpm } from '#barcode';
import { MAX_PAYMENT_AMOUNT, paymentLimitExceeded } from '../payment-limits.js';
import { StoreCodesRepository } from '../store-codes.repository.js';
import { Stores } from '../stores.js';

export interface StoreCode {
  id: string;
  kind: 'static' | 'dynamic';
  amount: number | null;
  payload: string;
  createdAt: string;
}

/**
 * A store-presented QR (MPM): the store shows an EMVCo payload, the
 * customer's app scans and pays it. A static code carries no amount and can
 * be paid many times; an amount-bearing (dynamic) code is paid once.
 */
@Injectable()
export class IssueStoreCode {
  constructor(
    private readonly db: Database,
    private readonly stores: Stores,
    private readonly codes: StoreCodesRepository,
  ) {}

  async execute(store: StorePrincipal, input: { amount?: number; terminalId?: string }): Promise<StoreCode> {
    if (input.amount !== undefined && input.amount > MAX_PAYMENT_AMOUNT) throw paymentLimitExceeded();
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
    await this.codes.insert(this.db, {
      sandboxId: store.sandbox.id,
      id,
      storeId: store.storeId,
      terminalId: input.terminalId ?? null,
      amount: input.amount ?? null,
      payload,
      createdAt: now,
    });
    return {
      id,
      kind: input.amount === undefined ? 'static' : 'dynamic',
      amount: input.amount ?? null,
      payload,
      createdAt: now.toISOString(),
    };
  }
}
