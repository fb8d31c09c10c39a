import { Injectable } from '@nestjs/common';
import { Database, type Page, type SandboxContext } from '#core';
import { LedgerService, SystemAccount, toYen } from '#ledger';
import type { Phase } from './phases.js';
import { CLAIM_STATUSES, type ClaimStatus } from './refund-claims.js';
import { ServiceSchedule } from './schedule.js';

/** Payment Services Act: above this unused balance on a base date, the issuer deposits at least half of it. */
export const DEPOSIT_THRESHOLD = 10_000_000;

export interface RefundReport {
  asOf: string;
  phase: Phase;
  /** Wallets holding a balance now, and what they hold (the ledger's wallet balances). */
  walletsWithBalance: number;
  outstanding: number;
  /** Claims paid out at least once, and the yen paid (read from the ledger's refund payout account). */
  refundedCount: number;
  refunded: number;
  /** Balances with no claim waiting to be paid. */
  unclaimedCount: number;
  unclaimed: number;
  /** Balances whose claim waits (submitted, on hold, bounced). */
  awaitingPayout: { count: number; amount: number };
  claims: Record<ClaimStatus, number>;
  depositRequirement: { baseDate: string; unusedBalance: number; threshold: number; required: number };
  /** Both must hold: outstanding = awaiting + unclaimed, and the claims' payouts = the ledger's. */
  reconciles: { balances: boolean; payouts: boolean };
}

export interface UnclaimedBalance {
  walletId: string;
  balance: number;
}

/**
 * Where the refund campaign stands, figured from the ledger's published
 * wallet balances and the claims, so every figure can be checked against
 * the ledger to the yen.
 */
@Injectable()
export class RefundReports {
  constructor(
    private readonly db: Database,
    private readonly ledger: LedgerService,
    private readonly schedule: ServiceSchedule,
  ) {}

  async report(sandbox: SandboxContext): Promise<RefundReport> {
    const now = sandbox.time.now();
    const [wallets, refunded, phase] = await Promise.all([
      this.ledger.walletTotals(this.db, sandbox.id),
      this.ledger.totalByCode(this.db, sandbox.id, 'payout', { credit: SystemAccount.RefundPayouts }, now),
      this.schedule.phase(sandbox, now),
    ]);
    const [split] = await this.db.rows<{
      awaiting: string;
      awaiting_amount: string | null;
      unclaimed: string;
      unclaimed_amount: string | null;
    }>(
      `SELECT count(*) FILTER (WHERE c.id IS NOT NULL) AS awaiting, sum(b.balance) FILTER (WHERE c.id IS NOT NULL) AS awaiting_amount,
              count(*) FILTER (WHERE c.id IS NULL) AS unclaimed, sum(b.balance) FILTER (WHERE c.id IS NULL) AS unclaimed_amount
         FROM ledger_wallet_balances b
         LEFT JOIN lifecycle_refund_claims c ON c.sandbox_id = b.sandbox_id AND c.wallet_id = b.wallet_id AND c.status <> 'paid'
        WHERE b.sandbox_id = $1 AND b.balance > 0`,
      [sandbox.id],
    );
    const byStatus = await this.db.rows<{ status: ClaimStatus; n: string }>(
      `SELECT status, count(*) AS n FROM lifecycle_refund_claims WHERE sandbox_id = $1 GROUP BY status`,
      [sandbox.id],
    );
    const [paid] = await this.db.rows<{ n: string; total: string | null }>(
      `SELECT count(*) FILTER (WHERE paid_amount > 0) AS n, sum(paid_amount) AS total FROM lifecycle_refund_claims WHERE sandbox_id = $1`,
      [sandbox.id],
    );
    const base = depositBaseDate(now);
    const unusedAtBase = (await this.ledger.walletTotals(this.db, sandbox.id, base)).total;
    const awaitingAmount = toYen(split.awaiting_amount);
    const unclaimed = toYen(split.unclaimed_amount);
    return {
      asOf: now.toISOString(),
      phase,
      walletsWithBalance: wallets.wallets,
      outstanding: wallets.total,
      refundedCount: Number(paid.n),
      refunded,
      unclaimedCount: Number(split.unclaimed),
      unclaimed,
      awaitingPayout: { count: Number(split.awaiting), amount: awaitingAmount },
      claims: Object.fromEntries(CLAIM_STATUSES.map((s) => [s, Number(byStatus.find((r) => r.status === s)?.n ?? 0)])) as Record<
        ClaimStatus,
        number
      >,
      depositRequirement: {
        baseDate: base.toISOString(),
        unusedBalance: unusedAtBase,
        threshold: DEPOSIT_THRESHOLD,
        required: unusedAtBase > DEPOSIT_THRESHOLD ? Math.ceil(unusedAtBase / 2) : 0,
      },
      reconciles: { balances: wallets.total === awaitingAmount + unclaimed, payouts: refunded === toYen(paid.total) },
    };
  }

  /** Balances nobody is claiming, oldest wallet first: what the operator may still refund case by case. */
  async unclaimed(sandbox: SandboxContext, query: { limit: number; starting_after?: string }): Promise<Page<UnclaimedBalance>> {
    const rows = await this.db.rows<{ wallet_id: string; balance: string }>(
      `SELECT b.wallet_id, b.balance FROM ledger_wallet_balances b
        WHERE b.sandbox_id = $1 AND b.balance > 0 AND ($2::text IS NULL OR b.wallet_id > $2)
          AND NOT EXISTS (SELECT 1 FROM lifecycle_refund_claims c WHERE c.sandbox_id = b.sandbox_id AND c.wallet_id = b.wallet_id AND c.status <> 'paid')
        ORDER BY b.wallet_id LIMIT $3`,
      [sandbox.id, query.starting_after ?? null, query.limit + 1],
    );
    return {
      data: rows.slice(0, query.limit).map((r) => ({ walletId: r.wallet_id, balance: toYen(r.balance) })),
      has_more: rows.length > query.limit,
    };
  }
}

/**
 * The latest base date at or before a time: the end (24:00 JST) of March 31
 * or September 30, on which the unused balance decides the deposit.
 */
export function depositBaseDate(at: Date): Date {
  const jst = new Date(at.getTime() + 9 * 3_600_000);
  const year = jst.getUTCFullYear();
  // 24:00 JST on the base day is 15:00 UTC that day.
  const candidates = [Date.UTC(year, 8, 30, 15), Date.UTC(year, 2, 31, 15), Date.UTC(year - 1, 8, 30, 15)];
  return new Date(candidates.find((t) => t <= at.getTime()) as number);
}
