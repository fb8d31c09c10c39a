import { Injectable } from '@nestjs/common';
import { Database } from '#core';
import { PaymentCodesRepository } from '../payment-codes.repository.js';

/** Codes die with the sessions that were shown them. */
@Injectable()
export class RetirePaymentCodes {
  constructor(
    private readonly db: Database,
    private readonly codes: PaymentCodesRepository,
  ) {}

  /**
   * Retires the wallet's live codes that these devices were shown before
   * their sessions ended (every device's when `deviceIds` is null). A code
   * issued after the ending came from a new session and keeps working;
   * retiring twice changes nothing.
   */
  async execute(sandboxId: string, walletId: string, deviceIds: string[] | null, endedAt: Date): Promise<void> {
    await this.codes.retireIssuedBefore(this.db, sandboxId, walletId, deviceIds, endedAt);
  }
}
