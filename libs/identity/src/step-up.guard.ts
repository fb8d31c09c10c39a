import { type CanActivate, type ExecutionContext, Injectable, UseGuards, applyDecorators } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainError, type Principal, Problems, clientIp } from '#core';
import { StepUp } from './usecases/require-step-up.js';

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
