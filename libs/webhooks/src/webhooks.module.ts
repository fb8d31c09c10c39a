import { Module, type OnModuleInit } from '@nestjs/common';
import { JobsModule, SandboxData, SealedData } from '#core';
import { SandboxModule } from '#sandbox';
import { DeliveriesController } from './deliveries.controller.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { DeliveryTargets } from './delivery-targets.js';
import { EndpointsController } from './endpoints.controller.js';
import { EndpointsRepository } from './endpoints.repository.js';
import { EventStreams } from './event-stream.js';
import { EventsController } from './events.controller.js';
import { SIGNING_SECRET_PURPOSE, SigningSecrets } from './signing-secrets.js';
import { AttemptQueue } from './usecases/attempt-queue.js';
import { GetEvent } from './usecases/get-event.js';
import { ListEventDeliveries } from './usecases/list-event-deliveries.js';
import { ListEvents } from './usecases/list-events.js';
import { ManageEndpoints } from './usecases/manage-endpoints.js';
import { Redeliver } from './usecases/redeliver.js';
import { WEBHOOKS_JOBS } from './webhooks.jobs.js';

/** The event log, webhook endpoints and their signed deliveries. */
@Module({
  imports: [SandboxModule, JobsModule.forFeature(WEBHOOKS_JOBS)],
  controllers: [EventsController, EndpointsController, DeliveriesController],
  providers: [
    EventStreams,
    EndpointsRepository,
    DeliveriesRepository,
    DeliveryTargets,
    SigningSecrets,
    AttemptQueue,
    ManageEndpoints,
    ListEvents,
    GetEvent,
    ListEventDeliveries,
    Redeliver,
  ],
  exports: [EndpointsRepository, DeliveriesRepository, DeliveryTargets, SigningSecrets, AttemptQueue],
})
export class WebhooksModule implements OnModuleInit {
  constructor(
    private readonly sandboxData: SandboxData,
    private readonly sealedData: SealedData,
    private readonly endpoints: EndpointsRepository,
    private readonly deliveries: DeliveriesRepository,
  ) {}

  onModuleInit(): void {
    const secrets = this.endpoints.sealedSecrets();
    this.sealedData.register('webhook signing secrets', { purpose: SIGNING_SECRET_PURPOSE, ...secrets.current });
    this.sealedData.register('previous webhook signing secrets', { purpose: SIGNING_SECRET_PURPOSE, ...secrets.previous });
    this.sandboxData.register('webhooks', (tx, sandboxId) => this.deliveries.wipe(tx, sandboxId));
  }
}
