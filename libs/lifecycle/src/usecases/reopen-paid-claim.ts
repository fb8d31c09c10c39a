import { Injectable } from '@nestjs/common';
import { Database, type SandboxContext } from '#core';
import { RefundClaimsRepository } from '../refund-claims.repository.js';
import { PayoutRuns } from './run-payouts.js';

/** Money came back into a wallet whose claim was paid (a store refund): it is claimable too, so the claim is paid again. */
@Injectable()
export class ReopenPaidClaim {
  constructor(
    private readonly db: Database,
    private readonly claims: RefundClaimsRepository,
    private readonly runs: PayoutRuns,
  ) {}

  async execute(sandbox: SandboxContext, walletId: string): Promise<void> {
    const reopened = await this.db.transaction((tx) => this.claims.reopenPaid(tx, sandbox.id, walletId, sandbox.time.now()));
    if (reopened) await this.runs.ensure(sandbox, 'store_refund');
  }
}
