import { Injectable } from '@nestjs/common';
import { Database, DomainError, type Principal, type SandboxContext } from '#core';
import type { RefundClaim } from '../refund-claims.js';
import { RefundClaimsRepository } from '../refund-claims.repository.js';

/** One refund claim: its customer's own, or any for the operator. */
@Injectable()
export class GetRefundClaim {
  constructor(
    private readonly db: Database,
    private readonly claims: RefundClaimsRepository,
  ) {}

  async execute(principal: Principal, sandbox: SandboxContext, id: string): Promise<RefundClaim> {
    const walletId = principal.kind === 'user' ? principal.walletId : null;
    const claim = await this.claims.find(this.db, sandbox.id, id, walletId);
    if (!claim) throw DomainError.notFound('refund claim', id);
    return claim;
  }
}
