import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Environment } from '../config/environment.js';
import { QueueProcessor } from './queue-processor.js';
import { JOBS, type JobName } from './registry.js';

/**
 * Worker startup check: every registered job has a handler on its queue's
 * processor, or the worker refuses to start.
 */
@Injectable()
export class JobRegistryCheck implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly env: Environment,
  ) {}

  onApplicationBootstrap(): void {
    const processors = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is QueueProcessor<never> => instance instanceof QueueProcessor);
    const handled = new Map<JobName, string>();
    for (const processor of processors) {
      processor.setConcurrency(this.env.WORKER_CONCURRENCY);
      for (const job of processor.handledJobs()) handled.set(job, processor.queue);
    }
    const problems = (Object.keys(JOBS) as JobName[])
      .filter((job) => handled.get(job) !== JOBS[job].queue)
      .map((job) => `job '${job}' of queue '${JOBS[job].queue}' has no handler`);
    if (problems.length > 0) throw new Error(`Job registry check failed:\n  ${problems.join('\n  ')}`);
  }
}
