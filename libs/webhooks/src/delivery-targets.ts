import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Injectable } from '@nestjs/common';
import ipaddr from 'ipaddr.js';
import { Environment } from '#core';

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
  return ipaddr.isValid(address) && ipaddr.process(address).range() === 'unicast';
}

/** Cloud metadata services answer on link-local addresses (and AWS's on fd00:ec2::254); no receiver of ours lives there. */
const CLOUD_METADATA_V6 = ipaddr.parse('fd00:ec2::254');

/** Never a webhook target, even where private targets are allowed: link-local, where instance metadata and its credentials live. */
export function isMetadataAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  return (
    parsed.range() === 'linkLocal' || (parsed.kind() === 'ipv6' && parsed.toNormalizedString() === CLOUD_METADATA_V6.toNormalizedString())
  );
}

/**
 * Which URLs may receive webhooks. Only http(s) without credentials, never
 * a link-local address; unless private targets are allowed (development and
 * test: a receiver on this machine or the LAN), every address the
 * host resolves to must be public — checked when the endpoint is created and
 * again on every delivery, which then connects to the address it checked.
 */
@Injectable()
export class DeliveryTargets {
  private readonly allowPrivate: boolean;
  private resolver: Resolver = systemResolver;

  constructor(env: Environment) {
    this.allowPrivate = env.allowsPrivateWebhookTargets();
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
    const metadata = addresses.find(isMetadataAddress);
    if (metadata) throw new TargetRefused(`${hostname} is, or resolves to, ${metadata}: a link-local address, where cloud metadata lives`);
    if (!this.allowPrivate) {
      const refused = addresses.find((address) => !isPublicAddress(address));
      if (refused) throw new TargetRefused(`${hostname} is, or resolves to, ${refused}: a loopback, private or link-local address`);
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
