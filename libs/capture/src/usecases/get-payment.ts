import { Injectable } from '@nestjs/common';
import { Database, DomainError } from '#core';
import { type Payment, PaymentsRepository } from '../payments.repository.js';

/** One payment: a store (storeId) sees only its own, the operator (null) any of the sandbox's. */
@Injectable()
export class GetPayment {
  constructor(
    private readonly db: Database,
    private readonly payments: PaymentsRepository,
  ) {}

  async execute(sandboxId: string, paymentId: string, storeId: string | null): Promise<Payment> {
    const payment = await this.payments.find(this.db, sandboxId, paymentId, storeId);
    if (!payment) throw DomainError.notFound('payment', paymentId);
    return payment;
  }
}
