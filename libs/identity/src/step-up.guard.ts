import { type CanActivate, type ExecutionContext, Injectable, UseGuards, applyDecorators } from '@nestjs/common';
import { ApiForbiddenResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Database, DomainError, type Principal } from '#core';
import { ChallengeIssuer } from './usecases/challenge-issuer.js';
import { UsersRepository } from './users.repository.js';

/**
 * Money-moving and account-changing calls need a second factor passed in
 * the last 10 minutes. Otherwise a code goes to the registered phone and the
 * call answers 403 `step_up_required` with the challenge to verify.
 * `legacy-2019` had no second factor, so it lets everything through.
 */
@Injectable()
export class StepUpGuard implements CanActivate {
  constructor(
    private readonly db: Database,
    private readonly users: UsersRepository,
    private readonly challenges: ChallengeIssuer,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const principal = request.principal;
    if (principal?.kind !== 'user') throw new DomainError('forbidden', 'A signed-in customer must make this call');
    if (principal.sandbox.securityProfile === 'legacy-2019') return true;
    if (principal.steppedUpUntil && principal.steppedUpUntil > principal.sandbox.time.now()) return true;
    const user = await this.users.findById(this.db, principal.sandbox.id, principal.userId);
    if (!user) throw new DomainError('unauthenticated', 'The account no longer exists');
    const client = { ip: request.ip, userAgent: request.headers['user-agent']?.slice(0, 256) ?? null, deviceHash: null };
    const challengeId = await this.db.transaction((tx) =>
      this.challenges.issue(tx, principal.sandbox, user, 'step_up', client, principal.sessionId),
    );
    throw new DomainError(
      'step_up_required',
      'Confirm with the code sent to your registered phone (POST /v1/auth/mfa/verify), then repeat this call',
      {
        challengeId,
      },
    );
  }
}

export const RequireStepUp = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    UseGuards(StepUpGuard),
    ApiForbiddenResponse({ description: '`step_up_required` with a `challengeId`: verify the code, then repeat the call' }),
  );
