import { Injectable } from '@nestjs/common';
import { Database, type Page, type SandboxContext } from '#core';
import { RefundClaimsRepository } from '../refund-claims.repository.js';
import type { UnclaimedBalance } from '../refund-report.js';

/** Balances nobody is claiming, oldest wallet first: what the operator may still refund case by case. */
@Injectable()
export class ListUnclaimedBalances {
  constructor(
    private readonly db: Database,
    private readonly claims: RefundClaimsRepository,
  ) {}

  execute(sandbox: SandboxContext, query: { limit: number; starting_after?: string }): Promise<Page<UnclaimedBalance>> {
    return this.claims.unclaimedBalances(this.db, sandbox.id, query);
  }
}
