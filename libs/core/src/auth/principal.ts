import type { SandboxTime } from '../clock/clock.js';

export const SECURITY_PROFILES = ['hardened', 'legacy-2019'] as const;
export type SecurityProfile = (typeof SECURITY_PROFILES)[number];

/** The sandbox a request acts in, resolved from its credential. */
export interface SandboxContext {
  id: string;
  securityProfile: SecurityProfile;
  time: SandboxTime;
  /** Takes the client's IP from the Sandbox-Client-Ip header (a replay's simulated customers). */
  simulatedClientIps?: boolean;
  /** Yen a wallet may pay in 24 hours without a second factor passed in the last 10 minutes; null: no such limit. */
  stepUpAllowance?: number | null;
}

/** A signed-in customer: one session on one device. */
export interface UserPrincipal {
  kind: 'user';
  sandbox: SandboxContext;
  userId: string;
  walletId: string;
  sessionId: string;
  deviceId: string;
  /** Until when the session counts as having passed a second factor (step-up). */
  steppedUpUntil: Date | null;
}

/** A store's register. */
export interface StorePrincipal {
  kind: 'store';
  sandbox: SandboxContext;
  storeId: string;
  keyId: string;
}

export type Principal =
  | { kind: 'admin' }
  | { kind: 'secret'; keyId: string; sandbox: SandboxContext }
  | { kind: 'publishable'; keyId: string; sandbox: SandboxContext }
  | UserPrincipal
  | StorePrincipal;

export type CredentialKind = Principal['kind'];
export type SandboxPrincipal = Extract<Principal, { sandbox: SandboxContext }>;

/** The scope an Idempotency-Key lives in: one credential's own keys. */
export function principalScope(principal: Principal): { sandboxId: string; principal: string } {
  switch (principal.kind) {
    case 'admin':
      return { sandboxId: '', principal: 'admin' };
    case 'secret':
    case 'publishable':
      return { sandboxId: principal.sandbox.id, principal: `key:${principal.keyId}` };
    case 'user':
      return { sandboxId: principal.sandbox.id, principal: `user:${principal.userId}` };
    case 'store':
      return { sandboxId: principal.sandbox.id, principal: `store:${principal.storeId}` };
  }
}

/** Who did it, for audit trails: an operator's key, a customer, a store. */
export function actorOf(principal: Principal): string {
  switch (principal.kind) {
    case 'secret':
      return `operator:${principal.keyId}`;
    case 'user':
      return `customer:${principal.userId}`;
    case 'store':
      return `store:${principal.storeId}`;
    default:
      return principal.kind;
  }
}
