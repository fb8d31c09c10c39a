import { Injectable } from '@nestjs/common';
import { Database, type SandboxContext } from '#core';
import { RefundClaimsRepository } from '../refund-claims.repository.js';
import { PayoutRuns } from './run-payouts.js';

/** A wallet's fraud hold was released: the claim that waited for it is paid by a run. */
@Injectable()
export class PayReleasedWallet {
  constructor(
    private readonly db: Database,
    private readonly claims: RefundClaimsRepository,
    private readonly runs: PayoutRuns,
  ) {}

  async execute(sandbox: SandboxContext, walletId: string): Promise<void> {
    if (await this.claims.hasSubmitted(this.db, sandbox.id, walletId)) await this.runs.ensure(sandbox, 'hold_released');
  }
}
