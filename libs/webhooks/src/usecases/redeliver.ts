import { Injectable } from '@nestjs/common';
import { Database, DomainError, EventLog, RequestContext, type SandboxContext, sha256Hex } from '#core';
import { DeliveriesRepository } from '../deliveries.repository.js';
import { type Endpoint, EndpointsRepository } from '../endpoints.repository.js';
import { eventBody } from '../event-view.js';
import { AttemptQueue } from './attempt-queue.js';

export interface Redelivery {
  eventId: string;
  deliveries: Array<{ id: string; endpointId: string; url: string }>;
}

/**
 * Sends an event again, at once, to one endpoint or to every enabled
 * endpoint that takes its type (even those created after it). The body is
 * the same bytes as before. It does not touch the automatic schedule unless
 * it gets through, which ends the delivery.
 */
@Injectable()
export class Redeliver {
  constructor(
    private readonly db: Database,
    private readonly events: EventLog,
    private readonly endpoints: EndpointsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly attempts: AttemptQueue,
  ) {}

  async execute(sandbox: SandboxContext, eventId: string, endpointId?: string): Promise<Redelivery> {
    const event = await this.events.get(sandbox.id, eventId);
    if (!event) throw DomainError.notFound('event', eventId);
    const targets = endpointId
      ? [await this.enabledEndpoint(sandbox, endpointId)]
      : await this.endpoints.subscribedTo(this.db, sandbox.id, event.type, sandbox.time.now());
    const deliveries =
      targets.length === 0
        ? []
        : await this.deliveries.create(this.db, {
            sandboxId: sandbox.id,
            eventId,
            endpointIds: targets.map((endpoint) => endpoint.id),
            body: eventBody(event),
            at: sandbox.time.now(),
            scheduled: false,
          });
    // Job ids follow the request's effect key: a retry with the same Idempotency-Key queues nothing new.
    const request = sha256Hex(RequestContext.effectKey('redeliver')).slice(0, 24);
    await this.attempts.enqueue(
      deliveries.map((delivery) => ({
        sandboxId: sandbox.id,
        deliveryId: delivery.id,
        attempt: 'manual' as const,
        jobId: `${delivery.id}.manual.${request}`,
      })),
    );
    const urls = new Map(targets.map((endpoint) => [endpoint.id, endpoint.url]));
    return {
      eventId,
      deliveries: deliveries.map((delivery) => ({
        id: delivery.id,
        endpointId: delivery.endpointId,
        url: urls.get(delivery.endpointId) ?? '',
      })),
    };
  }

  private async enabledEndpoint(sandbox: SandboxContext, endpointId: string): Promise<Endpoint> {
    const endpoint = await this.endpoints.find(this.db, sandbox.id, endpointId);
    if (!endpoint) throw DomainError.notFound('webhook endpoint', endpointId);
    if (endpoint.status !== 'enabled')
      throw new DomainError('endpoint_disabled', `Webhook endpoint ${endpointId} is disabled: enable it first`);
    return endpoint;
  }
}
