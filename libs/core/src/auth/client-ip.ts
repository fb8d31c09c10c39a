import type { FastifyRequest } from 'fastify';
import ipaddr from 'ipaddr.js';
import { DomainError } from '../errors/domain-error.js';
import type { Principal } from './principal.js';

/** Names the client's IP on a sandbox created with `simulatedClientIps`; every other sandbox ignores it. */
export const CLIENT_IP_HEADER = 'sandbox-client-ip';

/** Where a security event came from: what the fraud rules look at. */
export interface ClientFacts {
  ip: string;
  userAgent: string | null;
  /** SHA-256 of the client's device id (the id itself is a credential). */
  deviceHash: string | null;
}

type Request = FastifyRequest & { principal?: Principal; simulatedClientIp?: string };

/**
 * Checks the Sandbox-Client-Ip header once the credential names the sandbox:
 * on a sandbox that honours it, a value that is not an IP address is refused
 * (400 `invalid_client_ip`) before anything happens; a valid one becomes the
 * request's client IP.
 */
export function acceptSimulatedClientIp(request: Request, principal: Principal): void {
  if (!('sandbox' in principal) || !principal.sandbox.simulatedClientIps) return;
  const value = request.headers[CLIENT_IP_HEADER];
  if (value === undefined) return;
  if (typeof value !== 'string' || value.length > 45 || !ipaddr.isValid(value)) {
    throw new DomainError('invalid_client_ip', 'Sandbox-Client-Ip must be one IPv4 or IPv6 address');
  }
  request.simulatedClientIp = ipaddr.process(value).toString();
}

/**
 * The one place the client's IP is decided: the simulated one a sandbox
 * honours, else the connection's (or X-Forwarded-For behind TRUSTED_PROXIES).
 */
export function clientIp(request: FastifyRequest): string {
  return (request as Request).simulatedClientIp ?? request.ip;
}

/**
 * Whether a request looks relayed by a proxy nobody said to trust: it
 * carries X-Forwarded-For and comes from a loopback or private address,
 * where reverse proxies live. The throttles then see every client behind
 * the proxy as the proxy, and a few failures block them all.
 */
export function fromUntrustedProxy(request: FastifyRequest, trustedProxies: string | undefined): boolean {
  if (trustedProxies || request.headers['x-forwarded-for'] === undefined) return false;
  const peer = request.socket.remoteAddress;
  if (!peer || !ipaddr.isValid(peer)) return false;
  return ['loopback', 'private', 'uniqueLocal', 'carrierGradeNat'].includes(ipaddr.process(peer).range());
}
