import { Injectable } from '@nestjs/common';
import { Database, type SandboxContext } from '#core';
import { LedgerService, SystemAccount } from '#ledger';
import { CLAIM_STATUSES, type ClaimStatus } from '../refund-claims.js';
import { RefundClaimsRepository } from '../refund-claims.repository.js';
import { DEPOSIT_THRESHOLD, type RefundReport, depositBaseDate } from '../refund-report.js';
import { ServiceSchedule } from '../schedule.js';

/**
 * Where the refund campaign stands, figured from the ledger's published
 * wallet balances and the claims, so every figure can be checked against
 * the ledger to the yen.
 */
@Injectable()
export class GetRefundReport {
  constructor(
    private readonly db: Database,
    private readonly claims: RefundClaimsRepository,
    private readonly ledger: LedgerService,
    private readonly schedule: ServiceSchedule,
  ) {}

  async execute(sandbox: SandboxContext): Promise<RefundReport> {
    const now = sandbox.time.now();
    const [wallets, refunded, phase] = await Promise.all([
      this.ledger.walletTotals(this.db, sandbox.id),
      this.ledger.totalByCode(this.db, sandbox.id, 'payout', { credit: SystemAccount.RefundPayouts }, now),
      this.schedule.phase(sandbox, now),
    ]);
    const split = await this.claims.balanceSplit(this.db, sandbox.id);
    const byStatus = await this.claims.countByStatus(this.db, sandbox.id);
    const paid = await this.claims.paidTotals(this.db, sandbox.id);
    const base = depositBaseDate(now);
    const unusedAtBase = (await this.ledger.walletTotals(this.db, sandbox.id, base)).total;
    return {
      asOf: now.toISOString(),
      phase,
      walletsWithBalance: wallets.wallets,
      outstanding: wallets.total,
      refundedCount: paid.count,
      refunded,
      unclaimedCount: split.unclaimed,
      unclaimed: split.unclaimedAmount,
      awaitingPayout: { count: split.awaiting, amount: split.awaitingAmount },
      claims: Object.fromEntries(CLAIM_STATUSES.map((s) => [s, byStatus.find((r) => r.status === s)?.n ?? 0])) as Record<
        ClaimStatus,
        number
      >,
      depositRequirement: {
        baseDate: base.toISOString(),
        unusedBalance: unusedAtBase,
        threshold: DEPOSIT_THRESHOLD,
        required: unusedAtBase > DEPOSIT_THRESHOLD ? Math.ceil(unusedAtBase / 2) : 0,
      },
      reconciles: { balances: wallets.total === split.awaitingAmount + split.unclaimedAmount, payouts: refunded === paid.amount },
    };
  }
}
