import { Injectable } from '@nestjs/common';
import {
  actorOf,
  type BankAccountBody,
  type ClientFacts,
  Database,
  DomainError,
  Outbox,
  type Page,
  type Principal,
  type Queryable,
  type RefundClaimFacts,
  type SandboxContext,
  Secrets,
  ServicePolicy,
  Topic,
  type Tx,
  type UserPrincipal,
  newId,
} from '#core';
import { StepUp, UsersRepository } from '#identity';
import { LedgerService } from '#ledger';
import { Messages } from '#sandbox';
import { phaseIndex } from './phases.js';
import { ServiceSchedule } from './schedule.js';

export const CLAIM_STATUSES = ['submitted', 'on_hold', 'bounced', 'paid'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];
export type PayoutMethod = 'bank_transfer' | 'postal_payout';

/** A payout to this account number bounces: the bank knows no such account. */
export const BOUNCING_ACCOUNT_NUMBER = '0000404';
const SEAL_PURPOSE = 'refund-bank-account';

export interface BankSummary {
  bankCode: string;
  branchCode: string;
  accountNumberLast4: string;
  holder: string;
}

export interface RefundClaim {
  id: string;
  walletId: string;
  userId: string | null;
  method: PayoutMethod;
  bankAccount: BankSummary | null;
  status: ClaimStatus;
  failureCode: string | null;
  /** The balance when the claim was made. */
  amount: number;
  /** What was paid out so far (a store refund after the payout is paid too). */
  paidAmount: number;
  slipNumber: string | null;
  filedBy: string;
  createdAt: string;
  updatedAt: string;
  paidAt: string | null;
}

interface ClaimRow {
  id: string;
  wallet_id: string;
  user_id: string | null;
  method: PayoutMethod;
  bank_summary: BankSummary | null;
  contact_email: string | null;
  status: ClaimStatus;
  failure_code: string | null;
  amount: string;
  paid_amount: string;
  slip_number: string | null;
  filed_by: string;
  created_at: Date;
  updated_at: Date;
  paid_at: Date | null;
}

export const toClaim = (row: ClaimRow): RefundClaim => ({
  id: row.id,
  walletId: row.wallet_id,
  userId: row.user_id,
  method: row.method,
  bankAccount: row.bank_summary,
  status: row.status,
  failureCode: row.failure_code,
  amount: Number(row.amount),
  paidAmount: Number(row.paid_amount),
  slipNumber: row.slip_number,
  filedBy: row.filed_by,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  paidAt: row.paid_at?.toISOString() ?? null,
});

export const claimFacts = (c: {
  id: string;
  walletId: string;
  userId: string | null;
  method: PayoutMethod;
  amount: number;
}): RefundClaimFacts => ({
  claimId: c.id,
  walletId: c.walletId,
  userId: c.userId,
  method: c.method,
  amount: c.amount,
});

interface Filing {
  walletId: string;
  userId: string | null;
  contactEmail: string | null;
  method: PayoutMethod;
  bankAccount?: BankAccountBody;
  filedBy: string;
}

/**
 * Refund claims of the abolished service (7pay: 2019-10-01 to 2020-01-10).
 * A customer claims their whole balance during the window, identity checked
 * against the registered e-mail and phone, by bank transfer or a postal
 * payout slip, free of charge, once per wallet; after the deadline only the
 * operator files claims, case by case. The payout runs pay them.
 */
@Injectable()
export class RefundClaims {
  constructor(
    private readonly db: Database,
    private readonly schedule: ServiceSchedule,
    private readonly policy: ServicePolicy,
    private readonly users: UsersRepository,
    private readonly stepUp: StepUp,
    private readonly ledger: LedgerService,
    private readonly secrets: Secrets,
    private readonly messages: Messages,
    private readonly outbox: Outbox,
  ) {}

  async fileByCustomer(
    me: UserPrincipal,
    input: { method: PayoutMethod; bankAccount?: BankAccountBody; email: string; phone: string },
    client: ClientFacts,
  ): Promise<RefundClaim> {
    await this.policy.assertOpen(me.sandbox, 'refund_claims');
    checkMethod(input.method, input.bankAccount);
    await this.stepUp.require(me, client);
    const user = await this.users.findById(this.db, me.sandbox.id, me.userId);
    if (!user || user.email !== input.email || user.phone !== input.phone) {
      throw new DomainError('identity_mismatch', 'The e-mail address and phone number must be the ones registered to this account');
    }
    return this.file(me.sandbox, {
      walletId: me.walletId,
      userId: me.userId,
      contactEmail: user.email,
      method: input.method,
      bankAccount: input.bankAccount,
      filedBy: `customer:${me.userId}`,
    });
  }

  /** After termination, and only way after the deadline: the operator files for a customer. */
  async fileByOperator(
    sandbox: SandboxContext,
    actor: string,
    input: { walletId: string; method: PayoutMethod; bankAccount?: BankAccountBody },
  ): Promise<RefundClaim> {
    const phase = await this.schedule.phase(sandbox);
    if (phaseIndex(phase) < phaseIndex('terminated')) throw ServicePolicy.suspended('refund_claims', phase);
    checkMethod(input.method, input.bankAccount);
    if (!(await this.ledger.accountExists(this.db, sandbox.id, input.walletId, 'wallet')))
      throw DomainError.notFound('wallet', input.walletId);
    const user = await this.users.findByWallet(this.db, sandbox.id, input.walletId);
    const termination = (await this.schedule.transitions(this.db, sandbox.id)).find((t) => t.to === 'terminated');
    if (user?.closedAt && termination && user.closedAt < termination.effectiveAt) {
      throw new DomainError('claim_right_lost', 'The customer closed the membership before the service ended: there is no refund right', {
        closedAt: user.closedAt.toISOString(),
      });
    }
    return this.file(sandbox, {
      walletId: input.walletId,
      userId: user?.id ?? null,
      contactEmail: user?.email ?? null,
      method: input.method,
      bankAccount: input.bankAccount,
      filedBy: actor,
    });
  }

  async get(principal: Principal, sandbox: SandboxContext, id: string): Promise<RefundClaim> {
    const walletId = principal.kind === 'user' ? principal.walletId : null;
    const [row] = await this.db.rows<ClaimRow>(
      `SELECT * FROM lifecycle_refund_claims WHERE sandbox_id = $1 AND id = $2 AND ($3::text IS NULL OR wallet_id = $3)`,
      [sandbox.id, id, walletId],
    );
    if (!row) throw DomainError.notFound('refund claim', id);
    return toClaim(row);
  }

  /** `walletId`: only that wallet's claims (a customer's own). */
  async list(
    sandbox: SandboxContext,
    query: { status?: ClaimStatus; limit: number; starting_after?: string; walletId?: string },
  ): Promise<Page<RefundClaim>> {
    const rows = await this.db.rows<ClaimRow>(
      `SELECT * FROM lifecycle_refund_claims WHERE sandbox_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR id < $3)
          AND ($5::text IS NULL OR wallet_id = $5)
        ORDER BY id DESC LIMIT $4`,
      [sandbox.id, query.status ?? null, query.starting_after ?? null, query.limit + 1, query.walletId ?? null],
    );
    return { data: rows.slice(0, query.limit).map(toClaim), has_more: rows.length > query.limit };
  }

  /** The operator stops a claim from being paid (a doubt about the claimant); a bounced one too. */
  async hold(sandbox: SandboxContext, id: string, reason: string | null): Promise<RefundClaim> {
    return this.move(sandbox, id, ['submitted', 'bounced'], 'on_hold', (tx, claim) =>
      this.outbox.emit(tx, sandbox, Topic.RefundClaimHeld, { ...claimFacts(claim), reason }),
    );
  }

  async release(sandbox: SandboxContext, id: string, reason: string | null): Promise<RefundClaim> {
    return this.move(sandbox, id, ['on_hold'], 'submitted', (tx, claim) =>
      this.outbox.emit(tx, sandbox, Topic.RefundClaimReleased, { ...claimFacts(claim), reason }),
    );
  }

  /** The customer corrects their own claim's bank account, with a second factor. */
  async correctByCustomer(me: UserPrincipal, id: string, bankAccount: BankAccountBody, client: ClientFacts): Promise<RefundClaim> {
    await this.stepUp.require(me, client);
    await this.get(me, me.sandbox, id);
    return this.correct(me.sandbox, id, bankAccount, actorOf(me));
  }

  /**
   * The one rule of a correction, whoever makes it (the customer, or the
   * operator on the customer's word): a bank transfer's account is replaced,
   * and a bounced claim goes back to be paid by the next run.
   */
  async correct(sandbox: SandboxContext, id: string, bankAccount: BankAccountBody, actor: string): Promise<RefundClaim> {
    return this.move(sandbox, id, ['bounced', 'submitted', 'on_hold'], null, async (tx, current) => {
      if (current.method !== 'bank_transfer') throw new DomainError('invalid_transition', 'A postal payout has no bank account to correct');
      await tx.rows(
        `UPDATE lifecycle_refund_claims SET bank_account = $3, bank_summary = $4, status = CASE WHEN status = 'bounced' THEN 'submitted' ELSE status END,
                failure_code = NULL, updated_at = $5 WHERE sandbox_id = $1 AND id = $2`,
        [
          sandbox.id,
          id,
          this.secrets.seal(SEAL_PURPOSE, JSON.stringify(bankAccount)),
          JSON.stringify(summarize(bankAccount)),
          sandbox.time.now(),
        ],
      );
      if (current.status === 'bounced')
        await this.outbox.emit(tx, sandbox, Topic.RefundClaimCorrected, { ...claimFacts(current), correctedBy: actor });
    });
  }

  /** The account number a payout goes to (bank transfers only). */
  accountNumber(sealed: string): string {
    return (JSON.parse(this.secrets.open(SEAL_PURPOSE, sealed)) as BankAccountBody).accountNumber;
  }

  /** True when the wallet has a claim waiting to be paid. */
  async waiting(sandboxId: string, walletId: string): Promise<boolean> {
    const rows = await this.db.rows(
      `SELECT 1 FROM lifecycle_refund_claims WHERE sandbox_id = $1 AND wallet_id = $2 AND status = 'submitted'`,
      [sandboxId, walletId],
    );
    return rows.length > 0;
  }

  /** Money came back into a wallet whose claim was paid (a store refund): it is claimable too, so the claim is paid again. */
  async reopenPaid(tx: Tx, sandbox: SandboxContext, walletId: string): Promise<boolean> {
    const rows = await tx.rows(
      `UPDATE lifecycle_refund_claims SET status = 'submitted', deferred_run = NULL, updated_at = $3
        WHERE sandbox_id = $1 AND wallet_id = $2 AND status = 'paid' RETURNING id`,
      [sandbox.id, walletId, sandbox.time.now()],
    );
    return rows.length > 0;
  }

  private async file(sandbox: SandboxContext, filing: Filing): Promise<RefundClaim> {
    return this.db.transaction(async (tx) => {
      const balance = await this.ledger.walletBalance(tx, sandbox.id, filing.walletId);
      const amount = balance?.available ?? 0;
      if (amount <= 0) throw new DomainError('nothing_to_refund', 'The wallet holds no balance to refund');
      const now = sandbox.time.now();
      const id = newId('clm');
      const [row] = await tx.rows<ClaimRow>(
        `INSERT INTO lifecycle_refund_claims (sandbox_id, id, wallet_id, user_id, method, bank_account, bank_summary, contact_email, status, amount,
                                              filed_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'submitted', $9, $10, $11, $11)
         ON CONFLICT (sandbox_id, wallet_id) DO NOTHING RETURNING *`,
        [
          sandbox.id,
          id,
          filing.walletId,
          filing.userId,
          filing.method,
          filing.bankAccount ? this.secrets.seal(SEAL_PURPOSE, JSON.stringify(filing.bankAccount)) : null,
          filing.bankAccount ? JSON.stringify(summarize(filing.bankAccount)) : null,
          filing.contactEmail,
          amount,
          filing.filedBy,
          now,
        ],
      );
      if (!row) {
        const [existing] = await tx.rows<{ id: string }>(
          `SELECT id FROM lifecycle_refund_claims WHERE sandbox_id = $1 AND wallet_id = $2`,
          [sandbox.id, filing.walletId],
        );
        throw new DomainError('claim_exists', 'This wallet already has a refund claim', { claimId: existing.id });
      }
      const claim = toClaim(row);
      await this.outbox.emit(tx, sandbox, Topic.RefundClaimSubmitted, claimFacts(claim));
      if (filing.contactEmail) {
        const how =
          claim.method === 'bank_transfer'
            ? `by bank transfer to the account ending ${claim.bankAccount?.accountNumberLast4}`
            : 'by a postal payout slip, cashable at any post office';
        await this.messages.send(tx, {
          sandboxId: sandbox.id,
          channel: 'email',
          to: filing.contactEmail,
          subject: 'We received your refund claim',
          body: `We received your claim ${claim.id} for the refund of your balance of ¥${amount.toLocaleString('en-US')}, free of charge, ${how}.`,
          at: now,
        });
      }
      return claim;
    });
  }

  private async move(
    sandbox: SandboxContext,
    id: string,
    from: readonly ClaimStatus[],
    to: ClaimStatus | null,
    then: (tx: Tx, claim: RefundClaim) => Promise<unknown>,
  ): Promise<RefundClaim> {
    await this.db.transaction(async (tx) => {
      const claim = await this.lock(tx, sandbox.id, id);
      if (!from.includes(claim.status)) {
        throw new DomainError('invalid_transition', `The claim is ${claim.status.replace('_', ' ')}`, { claimStatus: claim.status });
      }
      if (to) {
        await tx.rows(`UPDATE lifecycle_refund_claims SET status = $3, updated_at = $4 WHERE sandbox_id = $1 AND id = $2`, [
          sandbox.id,
          id,
          to,
          sandbox.time.now(),
        ]);
      }
      await then(tx, claim);
    });
    return this.get({ kind: 'secret' } as Principal, sandbox, id);
  }

  private async lock(q: Queryable, sandboxId: string, id: string): Promise<RefundClaim> {
    const [row] = await q.rows<ClaimRow>(`SELECT * FROM lifecycle_refund_claims WHERE sandbox_id = $1 AND id = $2 FOR UPDATE`, [
      sandboxId,
      id,
    ]);
    if (!row) throw DomainError.notFound('refund claim', id);
    return toClaim(row);
  }
}

function checkMethod(method: PayoutMethod, bankAccount: BankAccountBody | undefined): void {
  if (method === 'bank_transfer' && !bankAccount)
    throw DomainError.invalid([{ field: 'bankAccount', message: 'is required for a bank transfer' }]);
  if (method === 'postal_payout' && bankAccount)
    throw DomainError.invalid([{ field: 'bankAccount', message: 'is only for a bank transfer' }]);
}

function summarize(account: BankAccountBody): BankSummary {
  return {
    bankCode: account.bankCode,
    branchCode: account.branchCode,
    accountNumberLast4: account.accountNumber.slice(-4),
    holder: account.holder,
  };
}
