import { type CanActivate, type ExecutionContext, Injectable, UseGuards, applyDecorators } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { type ClientFacts, Database, DomainError, type Principal, Problems, type UserPrincipal, clientIp } from '#core';
import { ChallengeIssuer } from './usecases/challenge-issuer.js';
import { UsersRepository } from './users.repository.js';

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
    private readonly users: UsersRepository,
    private readonly challenges: ChallengeIssuer,
  ) {}

  async require(me: UserPrincipal, client: ClientFacts): Promise<void> {
    if (me.sandbox.securityProfile === 'legacy-2019') return;
    if (me.steppedUpUntil && me.steppedUpUntil > me.sandbox.time.now()) return;
    const user = await this.users.findById(this.db, me.sandbox.id, me.userId);
    if (!user) throw new DomainError('unauthenticated', 'The account no longer exists');
    const challenge = await this.db.transaction((tx) => this.challenges.issue(tx, me.sandbox, user, 'step_up', client, me.sessionId));
    const where = challenge.sentTo ? `sent by SMS to ${challenge.sentTo}` : 'of your authenticator app';
    throw new DomainError('step_up_required', `Confirm with the code ${where} (POST /v1/auth/mfa/verify), then repeat this call`, {
      ...challenge,
    });
  }
}

@Injectable()
export class StepUpGuard implements CanActivate {
  constructor(private readonly stepUp: StepUp) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const principal = request.principal;
    if (principal?.kind !== 'user') throw new DomainError('forbidden', 'A signed-in customer must make this call');
    await this.stepUp.require(principal, {
      ip: clientIp(request),
      userAgent: request.headers['user-agent']?.slice(0, 256) ?? null,
      deviceHash: null,
    });
    return true;
  }
}

/**
 * `step_up_required` carries the challenge to verify: `challengeId`, `method` (`sms` or `totp`) and, for SMS, `sentTo`.
 * Sending that challenge counts toward the account's codes, so too many calls answer `rate_limited` instead.
 */
export const RequireStepUp = (): MethodDecorator & ClassDecorator =>
  applyDecorators(UseGuards(StepUpGuard), Problems('step_up_required', 'unauthenticated', 'rate_limited'));
