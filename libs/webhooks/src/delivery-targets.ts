import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Injectable } from '@nestjs/common';
import ipaddr from 'ipaddr.js';
import { Environment, type WebhookReach } from '#core';

/** Resolves a host name to every address it has. */
export type Resolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

export const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

/** Why a URL may not receive webhooks. */
export class TargetRefused extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'TargetRefused';
  }
}

export class TargetUnresolved extends Error {
  constructor(hostname: string, cause: unknown) {
    super(`${hostname} does not resolve: ${(cause as { code?: string })?.code ?? String(cause)}`);
    this.name = 'TargetUnresolved';
  }
}

/** Where one delivery connects: the address checked, never a second lookup that could answer otherwise. */
export interface ResolvedTarget {
  url: URL;
  /** The host name as in the URL, for the Host header and TLS; brackets of an IPv6 literal removed. */
  hostname: string;
  address: string;
}

const RESOLVE_TIMEOUT_MS = 3_000;

/** Globally routable unicast only: no loopback, private, link-local, carrier-grade NAT, multicast or reserved range. */
export function isPublicAddress(address: string): boolean {
  return reachOf(address) === 'public';
}

/** Cloud metadata services answer on link-local addresses (and AWS's on fd00:ec2::254); no receiver of ours lives there. */
const CLOUD_METADATA_V6 = ipaddr.parse('fd00:ec2::254');

/**
 * How far a webhook must reach to get to an address: public unicast, this
 * machine's loopback, a private network (RFC 1918, carrier-grade NAT,
 * unique-local IPv6); or never, whatever the settings: link-local (where
 * instance metadata and its credentials live), multicast, broadcast,
 * unspecified (0.0.0.0 is this machine) and every reserved range.
 */
export function reachOf(address: string): WebhookReach | 'never' {
  if (!ipaddr.isValid(address)) return 'never';
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv6' && parsed.toNormalizedString() === CLOUD_METADATA_V6.toNormalizedString()) return 'never';
  switch (parsed.range()) {
    case 'unicast':
      return 'public';
    case 'loopback':
      return 'loopback';
    case 'private':
    case 'carrierGradeNat':
    case 'uniqueLocal':
      return 'private';
    default:
      return 'never';
  }
}

const WIDER: Record<WebhookReach, ReadonlyArray<WebhookReach | 'never'>> = {
  public: ['public'],
  loopback: ['public', 'loopback'],
  private: ['public', 'loopback', 'private'],
};

const REFUSAL: Record<WebhookReach | 'never', string> = {
  never: 'a link-local, multicast, unspecified or reserved address, never a webhook target (cloud metadata lives at link-local ones)',
  private: 'a private address; webhooks reach private networks only with WEBHOOK_ALLOW_PRIVATE_TARGETS=true',
  loopback: "this machine's loopback; webhooks reach it only in development and test, or with WEBHOOK_ALLOW_PRIVATE_TARGETS=true",
  public: '',
};

/**
 * Which URLs may receive webhooks. Only http(s) without credentials; every
 * address the host resolves to within the reach the settings allow (see
 * reachOf) — checked when the endpoint is created and again on every
 * delivery, which then connects to the address it checked.
 */
@Injectable()
export class DeliveryTargets {
  private readonly reach: WebhookReach;
  private resolver: Resolver = systemResolver;

  constructor(env: Environment) {
    this.reach = env.webhookReach();
  }

  /** For tests of DNS answers that change between checks (rebinding). */
  useResolver(resolver: Resolver): void {
    this.resolver = resolver;
  }

  parse(raw: string): URL {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TargetRefused('Only http and https URLs can receive webhooks');
    if (url.username || url.password) throw new TargetRefused('A webhook URL may not carry credentials');
    return url;
  }

  /** Refuses a URL whose host is, or resolves to, an address webhooks may not reach; a name that does not resolve yet is let through. */
  async check(raw: string): Promise<void> {
    const url = this.parse(raw);
    try {
      await this.resolve(url, AbortSignal.timeout(RESOLVE_TIMEOUT_MS));
    } catch (error) {
      if (!(error instanceof TargetUnresolved)) throw error;
    }
  }

  async resolve(url: URL, signal: AbortSignal): Promise<ResolvedTarget> {
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const addresses = isIP(hostname) ? [hostname] : await this.lookup(hostname, signal);
    for (const address of addresses) {
      const reach = reachOf(address);
      if (!WIDER[this.reach].includes(reach)) throw new TargetRefused(`${hostname} is, or resolves to, ${address}: ${REFUSAL[reach]}`);
    }
    return { url, hostname, address: addresses[0] };
  }

  private async lookup(hostname: string, signal: AbortSignal): Promise<string[]> {
    signal.throwIfAborted();
    const aborted = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    let answers: Array<{ address: string }>;
    try {
      answers = await Promise.race([this.resolver(hostname), aborted]);
    } catch (error) {
      if (signal.aborted) throw error;
      throw new TargetUnresolved(hostname, error);
    }
    if (answers.length === 0) throw new TargetUnresolved(hostname, 'no address');
    return answers.map((answer) => answer.address);
  }
}
