import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import Bowser from 'bowser';
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
  return networksOf(ip)[0].network;
}

/**
 * Every network an address belongs to for throttling, narrowest first: its
 * /24 (IPv4); or its /64, /56 and /48 (IPv6: one subscriber's line, a
 * site's usual delegation, an organisation's), since one holder of a /48 has
 * 65,536 /64s to spread guesses over.
 */
export function networksOf(ip: string): Array<{ prefix: 24 | 64 | 56 | 48; network: string }> {
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    address = ipaddr.process(ip);
  } catch {
    return [{ prefix: address4Or6(ip), network: ip }];
  }
  if (address.kind() === 'ipv4') return [{ prefix: 24, network: `${ipaddr.IPv4.networkAddressFromCIDR(`${address}/24`)}/24` }];
  return ([64, 56, 48] as const).map((prefix) => ({
    prefix,
    network: `${ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${prefix}`).toString()}/${prefix}`,
  }));
}

/** What an address that does not parse counts as: a network of its own, of the kind its text suggests. */
const address4Or6 = (ip: string): 24 | 64 => (ip.includes(':') ? 64 : 24);

const KNOWN_BROWSERS: ReadonlySet<string> = new Set(Object.values(Bowser.BROWSER_MAP));
const KNOWN_SYSTEMS: ReadonlySet<string> = new Set(Object.values(Bowser.OS_MAP));

/**
 * What a notice to the customer says of a client's device: its browser and
 * system families, from a fixed list ("Safari on iOS"), or null. The
 * User-Agent is whatever the caller chose, so none of its own text reaches
 * a real e-mail or SMS.
 */
export function deviceFamily(userAgent: string | null): string | null {
  if (!userAgent) return null;
  const { browser, os } = Bowser.parse(userAgent);
  const name = browser.name && KNOWN_BROWSERS.has(browser.name) ? browser.name : null;
  const system = os.name && KNOWN_SYSTEMS.has(os.name) ? os.name : null;
  if (name && system) return `${name} on ${system}`;
  return name ?? system;
}
