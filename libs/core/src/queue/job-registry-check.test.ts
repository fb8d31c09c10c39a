import { describe, expect, test } from '@jest/globals';
import type { DiscoveryService } from '@nestjs/core';
import type { Environment } from '../config/environment.js';
import { JobRegistryCheck } from './job-registry-check.js';
import { QueueProcessor } from './queue-processor.js';
import { JOBS, JobName, QueueName, ROUTES, jobsOfQueue } from './registry.js';

/** A processor whose handler table is whatever the test gives it. */
function processor(queue: QueueName, jobs: JobName[]): QueueProcessor<never> {
  const instance = Object.create(QueueProcessor.prototype) as QueueProcessor<never>;
  Object.assign(instance, {
    queue,
    handlers: Object.fromEntries(jobs.map((job) => [job, async () => undefined])),
    setConcurrency: () => undefined,
  });
  return instance;
}

function check(processors: unknown[]): JobRegistryCheck {
  const discovery = { getProviders: () => processors.map((instance) => ({ instance })) } as unknown as DiscoveryService;
  return new JobRegistryCheck(discovery, { WORKER_CONCURRENCY: 4 } as Environment);
}

describe('the job registry', () => {
  test('a worker with a handler for every job starts', () => {
    const all = Object.values(QueueName).map((queue) => processor(queue, jobsOfQueue(queue)));
    expect(() => check(all).onApplicationBootstrap()).not.toThrow();
  });

  test('a worker missing one handler refuses to start, naming the job', () => {
    const partial = Object.values(QueueName).map((queue) =>
      processor(
        queue,
        jobsOfQueue(queue).filter((job) => job !== JobName.LedgerExpireSweep),
      ),
    );
    expect(() => check(partial).onApplicationBootstrap()).toThrow(`job '${JobName.LedgerExpireSweep}' of queue 'ledger' has no handler`);
  });

  test('a handler on the wrong queue does not count', () => {
    const misplaced = [processor(QueueName.Housekeeping, Object.values(JobName))];
    expect(() => check(misplaced).onApplicationBootstrap()).toThrow(/queue 'ledger' has no handler/);
  });

  test('every job names a queue, a retry policy, and every routed topic starts registered jobs', () => {
    for (const spec of Object.values(JOBS)) {
      expect(Object.values(QueueName)).toContain(spec.queue);
      expect(spec.attempts).toBeGreaterThan(0);
    }
    for (const jobs of Object.values(ROUTES)) for (const job of jobs ?? []) expect(JOBS[job]).toBeDefined();
  });
});
