import { Injectable } from '@nestjs/common';
import { Database, type Page } from '#core';
import { type Payment, PaymentsRepository } from '../payments.repository.js';

/** Payments newest first: a store's own (storeId), or the sandbox's (null); optionally one terminal's. */
@Injectable()
export class ListPayments {
  constructor(
    private readonly db: Database,
    private readonly payments: PaymentsRepository,
  ) {}

  execute(
    sandboxId: string,
    query: { storeId: string | null; terminalId?: string; limit: number; startingAfter?: string },
  ): Promise<Page<Payment>> {
    return this.payments.list(this.db, sandboxId, query);
  }
}
