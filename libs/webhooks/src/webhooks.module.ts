import { Module, type OnModuleInit } from '@nestjs/common';
import { JobName, RouteGates, SandboxData } from '#core';
import { SandboxModule } from '#sandbox';
import { DeliveriesController } from './deliveries.controller.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { DeliveryTargets } from './delivery-targets.js';
import { EndpointsController } from './endpoints.controller.js';
import { EndpointsRepository } from './endpoints.repository.js';
import { EventStreams } from './event-stream.js';
import { EventsController } from './events.controller.js';
import { SigningSecrets } from './signing-secrets.js';
import { EndpointSubscriptions } from './subscriptions.js';
import { AttemptDelivery } from './usecases/attempt-delivery.js';
import { AttemptQueue } from './usecases/attempt-queue.js';
import { FanOut } from './usecases/fan-out.js';
import { ManageEndpoints } from './usecases/manage-endpoints.js';
import { Redeliver } from './usecases/redeliver.js';
import { WebhookSender } from './webhook-sender.js';
import { WebhooksProcessor } from './webhooks.processor.js';

/** The event log, webhook endpoints and their signed deliveries. */
@Module({
  imports: [SandboxModule],
  controllers: [EventsController, EndpointsController, DeliveriesController],
  providers: [
    EventStreams,
    EndpointsRepository,
    DeliveriesRepository,
    DeliveryTargets,
    SigningSecrets,
    AttemptQueue,
    ManageEndpoints,
    Redeliver,
  ],
  exports: [EndpointsRepository, DeliveriesRepository, DeliveryTargets, SigningSecrets, AttemptQueue],
})
export class WebhooksModule implements OnModuleInit {
  constructor(private readonly sandboxData: SandboxData) {}

  onModuleInit(): void {
    // Endpoints are settings, like keys: a reset keeps them and wipes what they were sent.
    this.sandboxData.register('webhooks', async (tx, sandboxId) => {
      await tx.rows(`DELETE FROM webhook_attempts WHERE sandbox_id = $1`, [sandboxId]);
      await tx.rows(`DELETE FROM webhook_deliveries WHERE sandbox_id = $1`, [sandboxId]);
    });
  }
}

/** The worker's side: fan-out, attempts, the retry sweep, and the relay's gate that skips events nobody takes. */
@Module({
  imports: [WebhooksModule, SandboxModule],
  providers: [WebhookSender, AttemptDelivery, FanOut, EndpointSubscriptions, WebhooksProcessor],
})
export class WebhooksWorkerModule implements OnModuleInit {
  constructor(
    private readonly gates: RouteGates,
    private readonly subscriptions: EndpointSubscriptions,
  ) {}

  onModuleInit(): void {
    this.gates.register(JobName.WebhooksOnEvent, (sandboxId, type) => this.subscriptions.wants(sandboxId, type));
  }
}
