import { Injectable } from '@nestjs/common';
import { Database, type EventJob } from '#core';
import { SandboxContexts } from '#sandbox';
import { DeliveriesRepository } from '../deliveries.repository.js';
import { EndpointsRepository } from '../endpoints.repository.js';
import { eventBody } from '../event-view.js';
import { AttemptQueue } from './attempt-queue.js';

/**
 * An event of the outbox becomes one delivery per enabled endpoint that
 * takes its type and existed when it happened, each with its first attempt
 * queued at once. A clock advance also fires the retries it made due.
 */
@Injectable()
export class FanOut {
  constructor(
    private readonly db: Database,
    private readonly endpoints: EndpointsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly attempts: AttemptQueue,
    private readonly contexts: SandboxContexts,
  ) {}

  async onEvent(event: EventJob): Promise<void> {
    if (event.type === 'sandbox.clock_advanced') await this.attempts.enqueueDue(event.sandboxId);
    const sandbox = await this.contexts.get(event.sandboxId);
    if (!sandbox) return;
    const endpoints = await this.endpoints.subscribedTo(this.db, event.sandboxId, event.type, new Date(event.occurredAt));
    if (endpoints.length === 0) return;
    const deliveries = await this.deliveries.create(this.db, {
      sandboxId: event.sandboxId,
      eventId: event.eventId,
      endpointIds: endpoints.map((endpoint) => endpoint.id),
      body: eventBody({ ...event, id: event.eventId }),
      at: sandbox.time.now(),
      scheduled: true,
    });
    await this.attempts.enqueue(
      deliveries
        .filter((delivery) => delivery.status === 'pending' && delivery.attempts === 0 && delivery.nextAttemptAt)
        .map((delivery) => ({ sandboxId: event.sandboxId, deliveryId: delivery.id, attempt: 1 })),
    );
  }
}
