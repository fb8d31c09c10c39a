import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import type { CredentialKind, Principal, SandboxContext, SandboxPrincipal } from './principal.js';

export const AUTH_METADATA = 'wallet-sandbox:auth';
export const PUBLIC_METADATA = 'wallet-sandbox:public';

const OPENAPI_SCHEMES: Record<CredentialKind, string> = {
  admin: 'adminToken',
  secret: 'secretKey',
  publishable: 'publishableKey',
  user: 'accessToken',
  store: 'storeKey',
};

/** Which credentials may call a route. Routes without it (and without @Public) refuse everyone. */
export function Auth(...kinds: CredentialKind[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(AUTH_METADATA, kinds),
    ...kinds.map((kind) => (kind === 'publishable' ? ApiSecurity(OPENAPI_SCHEMES[kind]) : ApiBearerAuth(OPENAPI_SCHEMES[kind]))),
  );
}

export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_METADATA, true);

interface AuthenticatedRequest {
  principal?: Principal;
}

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal | undefined => {
  return ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
});

/** The sandbox of the calling credential; only on routes whose credentials belong to a sandbox. */
export const CurrentSandbox = createParamDecorator((_: unknown, ctx: ExecutionContext): SandboxContext => {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal as SandboxPrincipal | undefined;
  if (!principal?.sandbox) throw new Error('CurrentSandbox used on a route without a sandbox credential');
  return principal.sandbox;
});
