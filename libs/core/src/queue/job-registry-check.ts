import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Environment } from '../config/environment.js';
import { JOB_CATALOG, type JobCatalog } from './job-catalog.js';
import type { JobName } from './jobs.js';
import { QueueProcessor } from './queue-processor.js';

/**
 * What keeps a worker from starting: a job of a loaded queue that no
 * processor of that queue handles, or that two handle; a handler for a job
 * no loaded queue declares. (That every topic a job takes is routed to it
 * is checked at compile time, by `defineQueue`.)
 */
export function handlerProblems(catalog: JobCatalog, processors: Array<QueueProcessor<never>>): string[] {
  const handledOn = new Map<JobName, string[]>();
  for (const processor of processors) {
    for (const job of processor.handledJobs()) handledOn.set(job, [...(handledOn.get(job) ?? []), processor.queue]);
  }
  const problems: string[] = [];
  for (const job of catalog.jobs()) {
    const queue = catalog.queueOf(job);
    const handlers = (handledOn.get(job) ?? []).filter((on) => on === queue).length;
    if (handlers === 0) problems.push(`job '${job}' of queue '${queue}' has no handler`);
    if (handlers > 1) problems.push(`job '${job}' of queue '${queue}' has ${handlers} handlers`);
  }
  const known = new Set(catalog.jobs());
  for (const [job, queues] of handledOn) {
    if (!known.has(job)) problems.push(`queue '${queues[0]}' handles job '${job}', which no loaded queue declares`);
  }
  return problems;
}

/** Worker startup check: the worker refuses to start on any of `handlerProblems`. */
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
    for (const processor of processors) processor.setConcurrency(this.env.WORKER_CONCURRENCY);
    const problems = handlerProblems(JOB_CATALOG, processors);
    if (problems.length > 0) throw new Error(`Job registry check failed:\n  ${problems.join('\n  ')}`);
  }
}
