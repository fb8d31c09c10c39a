import { Module } from '@nestjs/common';
import { EventsController } from './events.controller.js';

/** The event log for now; endpoints and signed deliveries build on it. */
@Module({ controllers: [EventsController] })
export class WebhooksModule {}
