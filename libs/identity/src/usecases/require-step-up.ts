import { Injectable } from '@nestjs/common';
import { type ClientFacts, Database, DomainError, type UserPrincipal } from '#core';
import { GetProfile } from './get-profile.js';
import { IssueChallenge } from './issue-challenge.js';

/**
 * Money-moving and account-changing calls need a second factor passed in
 * the last 10 minutes. Otherwise a code goes to the registered phone and the
 * call answers 403 `step_up_required` with the challenge to verify.
 * `legacy-2019` had no second factor, so it lets everything through.
 */
@Injectable()
export class StepUp {
  constructor(
    private readonly db: Database,
    private readonly profile: GetProfile,
    private readonly challenges: IssueChallenge,
  ) {}

  async require(me: UserPrincipal, client: ClientFacts): Promise<void> {
    if (!this.owed(me)) return;
    const user = await this.profile.user(me);
    const challenge = await this.db.transaction((tx) => this.challenges.issue(tx, me.sandbox, user, 'step_up', client, me.sessionId));
    const where = challenge.sentTo ? `sent by SMS to ${challenge.sentTo}` : 'of your authenticator app';
    throw new DomainError('step_up_required', `Confirm with the code ${where} (POST /v1/auth/mfa/verify), then repeat this call`, {
      ...challenge,
    });
  }

  /**
   * The allowance a payment by this session is held to (the sandbox's `stepUpAllowance`), or null when
   * it is not: the session passed a second factor in the last 10 minutes, or the sandbox sets none.
   * Within it a wallet pays as a wallet app does, code on screen; beyond it, `require` asks first.
   */
  paymentAllowance(me: UserPrincipal): number | null {
    return this.owed(me) ? (me.sandbox.stepUpAllowance ?? null) : null;
  }

  private owed(me: UserPrincipal): boolean {
    if (me.sandbox.securityProfile === 'legacy-2019') return false;
    return !me.steppedUpUntil || me.steppedUpUntil <= me.sandbox.time.now();
  }
}
