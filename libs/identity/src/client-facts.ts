import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import ipaddr from 'ipaddr.js';
import { type ClientFacts, clientIp, sha256Hex } from '#core';

/** The request's client: IP (see clientIp), user agent, hashed device id. */
export const Client = createParamDecorator((_: unknown, ctx: ExecutionContext): ClientFacts => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  const userAgent = request.headers['user-agent'];
  const body = request.body as { deviceId?: unknown } | undefined;
  return {
    ip: clientIp(request),
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 256) : null,
    deviceHash: typeof body?.deviceId === 'string' ? sha256Hex(body.deviceId) : null,
  };
});

/** The network an address belongs to for throttling: its /24 (IPv4) or /64 (IPv6). */
export function networkOf(ip: string): string {
  try {
    const address = ipaddr.process(ip);
    if (address.kind() === 'ipv4') return `${address.toString().split('.').slice(0, 3).join('.')}.0/24`;
    const parts = (address as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
    return `${parts.join(':')}::/64`;
  } catch {
    return ip;
  }
}
