import { Injectable } from '@nestjs/common';
import { Database, DomainError, type Page } from '#core';
import { type Payment, PaymentsRepository } from '../payments.repository.js';

/** Payments as a store reads its own (storeId) and the operator the sandbox's (storeId null). */
@Injectable()
export class ReadPayments {
  constructor(
    private readonly db: Database,
    private readonly payments: PaymentsRepository,
  ) {}

  /** Newest first, optionally one terminal's. */
  list(
    sandboxId: string,
    query: { storeId: string | null; terminalId?: string; limit: number; startingAfter?: string },
  ): Promise<Page<Payment>> {
    return this.payments.list(this.db, sandboxId, query);
  }

  async get(sandboxId: string, paymentId: string, storeId: string | null): Promise<Payment> {
    const payment = await this.payments.find(this.db, sandboxId, paymentId, storeId);
    if (!payment) throw DomainError.notFound('payment', paymentId);
    return payment;
  }
}
