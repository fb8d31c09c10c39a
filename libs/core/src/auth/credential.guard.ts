import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Environment } from '../config/environment.js';
import { DomainError } from '../errors/domain-error.js';
import { secretsEqual } from '../ids/ids.js';
import { AUTH_METADATA, PUBLIC_METADATA } from './auth.decorators.js';
import { acceptSimulatedClientIp } from './client-ip.js';
import { Credentials } from './credentials.js';
import type { CredentialKind, Principal } from './principal.js';

const BEARER = /^Bearer ([\x21-\x7e]{1,512})$/;

/**
 * Resolves the caller's credential and checks it against the route's
 * @Auth kinds. Unknown and malformed credentials get one answer (401);
 * a valid credential of the wrong kind gets 403.
 */
@Injectable()
export class CredentialGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly credentials: Credentials,
    private readonly env: Environment,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_METADATA, targets)) return true;
    const allowed = this.reflector.getAllAndOverride<CredentialKind[]>(AUTH_METADATA, targets) ?? [];
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const principal = await this.authenticate(request, allowed);
    if (!principal) {
      throw new DomainError('unauthenticated', 'Provide a valid credential for this endpoint', {}, { 'WWW-Authenticate': 'Bearer' });
    }
    if (!allowed.includes(principal.kind)) {
      throw new DomainError('forbidden', `This endpoint takes a credential of kind: ${allowed.join(', ') || 'none'}`);
    }
    request.principal = principal;
    acceptSimulatedClientIp(request, principal);
    if ('sandbox' in principal) {
      context.switchToHttp().getResponse<FastifyReply>().header('Sandbox-Security-Profile', principal.sandbox.securityProfile);
    }
    return true;
  }

  private async authenticate(request: FastifyRequest, allowed: CredentialKind[]): Promise<Principal | null> {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const token = BEARER.exec(authorization)?.[1];
      if (!token) return null;
      if (secretsEqual(token, this.env.ADMIN_TOKEN)) return { kind: 'admin' };
      return this.credentials.resolve(token);
    }
    const publishable = request.headers['x-publishable-key'];
    if (allowed.includes('publishable') && typeof publishable === 'string' && publishable.startsWith('pk_test_')) {
      return this.credentials.resolve(publishable);
    }
    return null;
  }
}
