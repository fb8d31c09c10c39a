import { Injectable, Logger } from '@nestjs/common';
import { Database, Outbox, SandboxChanges, type SandboxContext, type Tx, systemNowMs } from '#core';
import { SandboxContexts } from '#sandbox';
import { type Delivery, DeliveriesRepository } from '../deliveries.repository.js';
import { type Endpoint, EndpointsRepository } from '../endpoints.repository.js';
import { MAX_ATTEMPTS, SCHEDULE_SPAN_SECONDS, nextAttemptAfter } from '../retry-schedule.js';
import { deliveryHeaders } from '../signature.js';
import { SigningSecrets } from '../signing-secrets.js';
import { type SendResult, WebhookSender } from '../webhook-sender.js';

/**
 * One attempt of one delivery: sign the stored body, POST it, log the
 * answer, and either settle the delivery or schedule its next automatic
 * attempt in sandbox time. An endpoint that has failed for the length of the
 * whole schedule with no success in between is disabled, and says so in an
 * event. A receiver's failure is an outcome, not a job failure: the job
 * throws only when the sandbox itself cannot record it, so BullMQ retries.
 */
@Injectable()
export class AttemptDelivery {
  private readonly logger = new Logger(AttemptDelivery.name);

  constructor(
    private readonly db: Database,
    private readonly deliveries: DeliveriesRepository,
    private readonly endpoints: EndpointsRepository,
    private readonly contexts: SandboxContexts,
    private readonly secrets: SigningSecrets,
    private readonly sender: WebhookSender,
    private readonly outbox: Outbox,
    private readonly changes: SandboxChanges,
  ) {}

  async execute(sandboxId: string, deliveryId: string, attempt: number | 'manual'): Promise<void> {
    const sandbox = await this.contexts.get(sandboxId);
    const delivery = sandbox && (await this.deliveries.find(this.db, sandboxId, deliveryId));
    if (!sandbox || !delivery) return;
    const automatic = attempt !== 'manual';
    // A job for an attempt already made (a re-run, a reset) has nothing left to do.
    if (automatic && (delivery.status !== 'pending' || delivery.attempts !== attempt - 1 || !delivery.nextAttemptAt)) return;
    const endpoint = await this.endpoints.find(this.db, sandboxId, delivery.endpointId);
    if (!endpoint || endpoint.status !== 'enabled') {
      if (automatic) await this.deliveries.cancel(this.db, sandboxId, deliveryId);
      return;
    }

    const attemptedAt = sandbox.time.now();
    // The receiver compares `t` with its own clock, so it is real time, not sandbox time.
    const timestamp = Math.floor(systemNowMs() / 1000);
    const result = await this.sender.post(endpoint.url, delivery.body, {
      // webhook-id is the event's id: it names the message, so every retry and redelivery of it carries the same one.
      ...deliveryHeaders({ id: delivery.eventId, timestamp, body: delivery.body, secrets: this.secrets.active(endpoint, attemptedAt) }),
      'Wallet-Event-Id': delivery.eventId,
    });
    const nextAttemptAt = automatic && result.outcome === 'failed' ? nextAttemptAfter(attempt, attemptedAt) : null;

    await this.db.transaction(async (tx) => {
      await this.deliveries.recordAttempt(tx, sandboxId, {
        deliveryId,
        eventId: delivery.eventId,
        endpointId: endpoint.id,
        url: endpoint.url,
        trigger: automatic ? 'automatic' : 'manual',
        attempt: automatic ? attempt : null,
        attemptedAt,
        ...result,
        nextAttemptAt,
      });
      if (automatic) {
        const status = result.outcome === 'succeeded' ? 'succeeded' : attempt >= MAX_ATTEMPTS ? 'failed' : 'pending';
        await this.deliveries.settleAutomatic(tx, sandboxId, deliveryId, attempt, status, nextAttemptAt);
      } else if (result.outcome === 'succeeded') {
        await this.deliveries.markSucceeded(tx, sandboxId, deliveryId);
      }
      await this.trackHealth(tx, sandbox, endpoint, delivery, result, attemptedAt);
    });
  }

  private async trackHealth(tx: Tx, sandbox: SandboxContext, endpoint: Endpoint, delivery: Delivery, result: SendResult, at: Date) {
    const health = await this.endpoints.recordHealth(tx, sandbox.id, endpoint.id, result.outcome === 'succeeded', at);
    const failingSince = health?.failingSince;
    if (!failingSince || at.getTime() - failingSince.getTime() < SCHEDULE_SPAN_SECONDS * 1000) return;
    const disabled = await this.endpoints.disable(tx, sandbox.id, endpoint.id, 'failing');
    if (!disabled) return;
    await this.deliveries.cancelForEndpoint(tx, sandbox.id, endpoint.id);
    await this.outbox.emit(tx, sandbox, 'webhook_endpoint.disabled', {
      endpointId: endpoint.id,
      url: endpoint.url,
      reason: 'failing',
      failingSince: failingSince.toISOString(),
    });
    tx.afterCommit(() => void this.changes.announce(sandbox.id));
    this.logger.warn(
      `endpoint ${endpoint.id} of ${sandbox.id} disabled: failing since ${failingSince.toISOString()} (delivery ${delivery.id})`,
    );
  }
}
