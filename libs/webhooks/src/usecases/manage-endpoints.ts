import { Injectable } from '@nestjs/common';
import { Database, DomainError, Outbox, type Queryable, SandboxChanges, type SandboxContext, Tx, newId } from '#core';
import { DeliveriesRepository } from '../deliveries.repository.js';
import { DeliveryTargets, TargetRefused } from '../delivery-targets.js';
import { ALL_EVENTS, type Endpoint, EndpointsRepository } from '../endpoints.repository.js';
import { SigningSecrets } from '../signing-secrets.js';

/** As many endpoints as a sandbox may have (Stripe's limit too). */
export const MAX_ENDPOINTS = 16;
/** A rotation's overlap when none is asked for: a day of sandbox time to roll the new secret out. */
export const DEFAULT_OVERLAP_SECONDS = 24 * 60 * 60;

export interface EndpointView {
  id: string;
  object: 'webhook_endpoint';
  url: string;
  events: string[];
  description: string | null;
  status: Endpoint['status'];
  disabledReason: Endpoint['disabledReason'];
  /** Until when deliveries also carry the previous secret's signature (sandbox time); null when no rotation overlaps. */
  previousSecretExpiresAt: string | null;
  failingSince: string | null;
  createdAt: string;
}

export function endpointView(endpoint: Endpoint, now: Date): EndpointView {
  const overlapping = endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now;
  return {
    id: endpoint.id,
    object: 'webhook_endpoint',
    url: endpoint.url,
    events: endpoint.events,
    description: endpoint.description,
    status: endpoint.status,
    disabledReason: endpoint.disabledReason,
    previousSecretExpiresAt: overlapping ? endpoint.previousSecretExpiresAt!.toISOString() : null,
    failingSince: endpoint.failingSince?.toISOString() ?? null,
    createdAt: endpoint.createdAt.toISOString(),
  };
}

/**
 * Endpoints of a sandbox: create (the secret is shown once), list, delete,
 * disable and enable, rotate the secret. Every change is announced so the
 * relays' subscription caches follow at once.
 */
@Injectable()
export class ManageEndpoints {
  constructor(
    private readonly db: Database,
    private readonly endpoints: EndpointsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly targets: DeliveryTargets,
    private readonly secrets: SigningSecrets,
    private readonly outbox: Outbox,
    private readonly changes: SandboxChanges,
  ) {}

  async create(
    sandbox: SandboxContext,
    input: { url: string; events: string[]; description?: string },
  ): Promise<EndpointView & { secret: string }> {
    try {
      await this.targets.check(input.url);
    } catch (error) {
      if (error instanceof TargetRefused) throw new DomainError('url_not_allowed', error.message);
      throw error;
    }
    const id = newId('whe');
    const secret = this.secrets.issue({ sandboxId: sandbox.id, id });
    const events = input.events.includes(ALL_EVENTS) ? [ALL_EVENTS] : [...new Set(input.events)];
    const endpoint = await this.db.transaction(async (tx) => {
      if ((await this.endpoints.count(tx, sandbox.id)) >= MAX_ENDPOINTS) {
        throw new DomainError('limit_exceeded', `A sandbox may have at most ${MAX_ENDPOINTS} webhook endpoints`, {
          limit: 'webhook_endpoints',
          max: MAX_ENDPOINTS,
        });
      }
      return this.endpoints.insert(tx, {
        sandboxId: sandbox.id,
        id,
        url: input.url,
        description: input.description ?? null,
        events,
        status: 'enabled',
        disabledReason: null,
        secretSealed: secret.sealed,
        createdAt: sandbox.time.now(),
      });
    });
    await this.changes.announce(sandbox.id);
    return { ...endpointView(endpoint, sandbox.time.now()), secret: secret.plaintext };
  }

  async get(sandbox: SandboxContext, id: string): Promise<EndpointView> {
    return endpointView(await this.existing(sandbox, id), sandbox.time.now());
  }

  async list(
    sandbox: SandboxContext,
    page: { limit: number; startingAfter?: string },
  ): Promise<{ data: EndpointView[]; hasMore: boolean }> {
    const found = await this.endpoints.list(sandbox.id, page);
    return { data: found.data.map((endpoint) => endpointView(endpoint, sandbox.time.now())), hasMore: found.hasMore };
  }

  /** Removes it; its deliveries stop, their log stays. */
  async remove(sandbox: SandboxContext, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (!(await this.endpoints.remove(tx, sandbox.id, id))) throw DomainError.notFound('webhook endpoint', id);
      await this.deliveries.cancelForEndpoint(tx, sandbox.id, id);
    });
    await this.changes.announce(sandbox.id);
  }

  /** Stops deliveries to it, pending retries included (`webhook_endpoint.disabled`); disabling it again changes nothing. */
  async disable(sandbox: SandboxContext, id: string): Promise<EndpointView> {
    const endpoint = await this.db.transaction(async (tx) => {
      const current = await this.existing(sandbox, id, tx);
      const disabled = await this.endpoints.disable(tx, sandbox.id, id, 'operator');
      if (!disabled) return current;
      await this.deliveries.cancelForEndpoint(tx, sandbox.id, id);
      await this.outbox.emit(tx, sandbox, 'webhook_endpoint.disabled', {
        endpointId: id,
        url: disabled.url,
        reason: 'operator',
        failingSince: disabled.failingSince?.toISOString() ?? null,
      });
      return disabled;
    });
    await this.changes.announce(sandbox.id);
    return endpointView(endpoint, sandbox.time.now());
  }

  /** Deliveries resume with the next event; what was missed can be redelivered. */
  async enable(sandbox: SandboxContext, id: string): Promise<EndpointView> {
    const endpoint = await this.endpoints.enable(this.db, sandbox.id, id);
    if (!endpoint) throw DomainError.notFound('webhook endpoint', id);
    await this.changes.announce(sandbox.id);
    return endpointView(endpoint, sandbox.time.now());
  }

  /** A new secret, shown once; the old one keeps signing beside it for `overlapSeconds` of sandbox time. */
  async rotateSecret(
    sandbox: SandboxContext,
    id: string,
    overlapSeconds = DEFAULT_OVERLAP_SECONDS,
  ): Promise<EndpointView & { secret: string }> {
    const secret = this.secrets.issue({ sandboxId: sandbox.id, id });
    const now = sandbox.time.now();
    const endpoint = await this.endpoints.rotateSecret(
      this.db,
      sandbox.id,
      id,
      secret.sealed,
      new Date(now.getTime() + overlapSeconds * 1000),
    );
    if (!endpoint) throw DomainError.notFound('webhook endpoint', id);
    return { ...endpointView(endpoint, now), secret: secret.plaintext };
  }

  private async existing(sandbox: SandboxContext, id: string, q: Queryable = this.db): Promise<Endpoint> {
    const endpoint = await this.endpoints.find(q, sandbox.id, id, q instanceof Tx);
    if (!endpoint) throw DomainError.notFound('webhook endpoint', id);
    return endpoint;
  }
}
