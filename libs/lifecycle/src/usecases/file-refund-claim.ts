import { Injectable } from '@nestjs/common';
import {
  type BankAccountBody,
  type ClientFacts,
  Database,
  DomainError,
  Outbox,
  type SandboxContext,
  Secrets,
  ServicePolicy,
  type UserPrincipal,
  newId,
} from '#core';
import { StepUp, UsersRepository } from '#identity';
import { LedgerService } from '#ledger';
import { Messages } from '#sandbox';
import { phaseIndex } from '../phases.js';
import { type PayoutMethod, type RefundClaim, checkMethod, claimFacts, sealBankAccount } from '../refund-claims.js';
import { RefundClaimsRepository } from '../refund-claims.repository.js';
import { ServiceSchedule } from '../schedule.js';
import { TransitionsRepository } from '../transitions.repository.js';

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
export class FileRefundClaim {
  constructor(
    private readonly db: Database,
    private readonly claims: RefundClaimsRepository,
    private readonly transitions: TransitionsRepository,
    private readonly schedule: ServiceSchedule,
    private readonly policy: ServicePolicy,
    private readonly users: UsersRepository,
    private readonly stepUp: StepUp,
    private readonly ledger: LedgerService,
    private readonly secrets: Secrets,
    private readonly messages: Messages,
    private readonly outbox: Outbox,
  ) {}

  async byCustomer(
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
  async byOperator(
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
    const termination = (await this.transitions.list(this.db, sandbox.id)).find((t) => t.to === 'terminated');
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

  private async file(sandbox: SandboxContext, filing: Filing): Promise<RefundClaim> {
    return this.db.transaction(async (tx) => {
      const balance = await this.ledger.walletBalance(tx, sandbox.id, filing.walletId);
      const amount = balance?.available ?? 0;
      if (amount <= 0) throw new DomainError('nothing_to_refund', 'The wallet holds no balance to refund');
      const now = sandbox.time.now();
      const id = newId('clm');
      const claim = await this.claims.insert(tx, {
        sandboxId: sandbox.id,
        id,
        walletId: filing.walletId,
        userId: filing.userId,
        method: filing.method,
        bankAccount: filing.bankAccount ? sealBankAccount(this.secrets, { sandboxId: sandbox.id, id }, filing.bankAccount) : null,
        contactEmail: filing.contactEmail,
        amount,
        filedBy: filing.filedBy,
        at: now,
      });
      if (!claim) {
        const existing = await this.claims.findIdByWallet(tx, sandbox.id, filing.walletId);
        throw new DomainError('claim_exists', 'This wallet already has a refund claim', { claimId: existing });
      }
      await this.outbox.emit(tx, sandbox, 'refund_claim.submitted', claimFacts(claim));
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
}
