import { Injectable } from '@nestjs/common';
import {
  actorOf,
  type BankAccountBody,
  type ClientFacts,
  Database,
  DomainError,
  Outbox,
  type Principal,
  type SandboxContext,
  Secrets,
  type Tx,
  type UserPrincipal,
} from '#core';
import { StepUp } from '#identity';
import { type ClaimStatus, type RefundClaim, claimFacts, sealBankAccount } from '../refund-claims.js';
import { RefundClaimsRepository } from '../refund-claims.repository.js';
import { GetRefundClaim } from './get-refund-claim.js';

/** A filed claim before it is paid: the operator holds or releases it; its bank account is corrected. */
@Injectable()
export class ChangeRefundClaim {
  constructor(
    private readonly db: Database,
    private readonly claims: RefundClaimsRepository,
    private readonly getClaim: GetRefundClaim,
    private readonly stepUp: StepUp,
    private readonly secrets: Secrets,
    private readonly outbox: Outbox,
  ) {}

  /** The operator stops a claim from being paid (a doubt about the claimant); a bounced one too. */
  async hold(sandbox: SandboxContext, id: string, reason: string | null): Promise<RefundClaim> {
    return this.move(sandbox, id, ['submitted', 'bounced'], 'on_hold', (tx, claim) =>
      this.outbox.emit(tx, sandbox, 'refund_claim.held', { ...claimFacts(claim), reason }),
    );
  }

  async release(sandbox: SandboxContext, id: string, reason: string | null): Promise<RefundClaim> {
    return this.move(sandbox, id, ['on_hold'], 'submitted', (tx, claim) =>
      this.outbox.emit(tx, sandbox, 'refund_claim.released', { ...claimFacts(claim), reason }),
    );
  }

  /** The customer corrects their own claim's bank account, with a second factor. */
  async correctByCustomer(me: UserPrincipal, id: string, bankAccount: BankAccountBody, client: ClientFacts): Promise<RefundClaim> {
    await this.stepUp.require(me, client);
    await this.getClaim.execute(me, me.sandbox, id);
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
      await this.claims.setBankAccount(
        tx,
        sandbox.id,
        id,
        sealBankAccount(this.secrets, { sandboxId: sandbox.id, id }, bankAccount),
        sandbox.time.now(),
      );
      if (current.status === 'bounced')
        await this.outbox.emit(tx, sandbox, 'refund_claim.corrected', { ...claimFacts(current), correctedBy: actor });
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
      const claim = await this.claims.lock(tx, sandbox.id, id);
      if (!claim) throw DomainError.notFound('refund claim', id);
      if (!from.includes(claim.status)) {
        throw new DomainError('invalid_transition', `The claim is ${claim.status.replace('_', ' ')}`, { claimStatus: claim.status });
      }
      if (to) await this.claims.setStatus(tx, sandbox.id, id, to, sandbox.time.now());
      await then(tx, claim);
    });
    return this.getClaim.execute({ kind: 'secret' } as Principal, sandbox, id);
  }
}
