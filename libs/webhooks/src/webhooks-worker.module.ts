import { Module, type OnModuleInit } from '@nestjs/common';
import { RouteGates } from '#core';
import { SandboxModule } from '#sandbox';
import { EndpointSubscriptions } from './subscriptions.js';
import { AttemptDelivery } from './usecases/attempt-delivery.js';
import { FanOut } from './usecases/fan-out.js';
import { WebhookSender } from './webhook-sender.js';
import { WebhooksModule } from './webhooks.module.js';
import { WebhooksProcessor } from './webhooks.processor.js';

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
    this.gates.register('webhooks.on-event', (sandboxId, type, recordedAt) => this.subscriptions.wants(sandboxId, type, recordedAt));
  }
}
