import { Injectable } from '@nestjs/common';
import { Database, type Page, type SandboxContext } from '#core';
import type { ClaimStatus, RefundClaim } from '../refund-claims.js';
import { RefundClaimsRepository } from '../refund-claims.repository.js';

/** Refund claims, newest first. */
@Injectable()
export class ListRefundClaims {
  constructor(
    private readonly db: Database,
    private readonly claims: RefundClaimsRepository,
  ) {}

  /** `walletId`: only that wallet's claims (a customer's own). */
  execute(
    sandbox: SandboxContext,
    query: { status?: ClaimStatus; limit: number; starting_after?: string; walletId?: string },
  ): Promise<Page<RefundClaim>> {
    return this.claims.list(this.db, sandbox.id, query);
  }
}
