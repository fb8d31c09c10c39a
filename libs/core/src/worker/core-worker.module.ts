import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { OutboxRelay } from '../outbox/outbox-relay.js';
import { JobRegistryCheck } from '../queue/job-registry-check.js';
import { Queues } from '../queue/queues.js';
import { HousekeepingProcessor } from './housekeeping.processor.js';

/** What only the worker runs of the kernel: the outbox relay, housekeeping, the startup job check. */
@Module({
  imports: [DiscoveryModule],
  providers: [OutboxRelay, HousekeepingProcessor, JobRegistryCheck],
  exports: [OutboxRelay],
})
export class CoreWorkerModule implements OnApplicationBootstrap {
  constructor(private readonly queues: Queues) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queues.schedulePeriodicJobs();
  }
}
