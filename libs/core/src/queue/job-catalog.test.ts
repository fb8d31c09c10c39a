import { describe, expect, test } from '@jest/globals';
import type { DiscoveryService } from '@nestjs/core';
import type { Environment } from '../config/environment.js';
import { JOB_CATALOG, JobCatalog } from './job-catalog.js';
import { JobRegistryCheck, handlerProblems } from './job-registry-check.js';
import { type JobSpec, type QueueDefinition, RETRY_FAST, RETRY_PERIODIC } from './jobs.js';
import { QueueProcessor } from './queue-processor.js';

/** A queue as a module would define it; the names are this test's own. */
function queue(name: string, jobs: Record<string, JobSpec>, routes: Record<string, string> = {}, everyEvent?: string): QueueDefinition {
  return { queue: name, jobs, routes, everyEvent } as unknown as QueueDefinition;
}

const orders = queue(
  'orders',
  { 'orders.on-paid': RETRY_FAST, 'orders.on-clock': RETRY_FAST, 'orders.sweep': { ...RETRY_PERIODIC, everyMs: 5_000 } },
  { 'payment.captured': 'orders.on-paid', 'sandbox.clock_advanced': 'orders.on-clock' },
);
const mail = queue(
  'mail',
  { 'mail.on-event': RETRY_FAST, 'mail.on-clock': RETRY_FAST },
  { 'sandbox.clock_advanced': 'mail.on-clock' },
  'mail.on-event',
);

function catalogOf(...definitions: QueueDefinition[]): JobCatalog {
  const catalog = new JobCatalog();
  for (const definition of definitions) catalog.register(definition);
  return catalog;
}

/** A processor whose handler table is whatever the test gives it. */
function processor(name: string, jobs: string[]): QueueProcessor<never> {
  const instance = Object.create(QueueProcessor.prototype) as QueueProcessor<never>;
  Object.assign(instance, {
    queue: name,
    handlers: Object.fromEntries(jobs.map((job) => [job, async () => undefined])),
    setConcurrency: () => undefined,
  });
  return instance;
}

describe('the job catalog', () => {
  test('knows where each job goes, how it retries and which jobs an event starts, one per queue', () => {
    const catalog = catalogOf(orders, mail);
    expect(catalog.queues()).toEqual(['orders', 'mail']);
    expect(catalog.queueOf('mail.on-clock' as never)).toBe('mail');
    expect(catalog.spec('orders.on-paid' as never)).toEqual(RETRY_FAST);
    expect(catalog.routesOf('sandbox.clock_advanced')).toEqual(['orders.on-clock', 'mail.on-clock']);
    // A job taking every event gets the types no route names.
    expect(catalog.routesOf('payment.captured')).toEqual(['orders.on-paid', 'mail.on-event']);
    expect(catalog.routesOf('wallet.created')).toEqual(['mail.on-event']);
    expect(catalog.periodic()).toEqual([{ job: 'orders.sweep', queue: 'orders', everyMs: 5_000 }]);
    expect(() => catalog.queueOf('billing.charge' as never)).toThrow("job 'billing.charge' is in no queue this process loaded");
  });

  test('a queue defined twice, or a job in two queues, fails as the modules load', () => {
    const catalog = catalogOf(orders);
    expect(() => catalog.register(orders)).not.toThrow();
    expect(() => catalog.register(queue('orders', { 'orders.other': RETRY_FAST }))).toThrow("queue 'orders' is defined twice");
    expect(() => catalog.register(queue('billing', { 'orders.on-paid': RETRY_FAST }))).toThrow(
      "job 'orders.on-paid' is in queues 'orders' and 'billing'",
    );
    expect(catalog.queues()).toEqual(['orders']);
  });

  test('a renamed job keeps its former name: stored jobs under it run as the new one, and a former name may not be in use', () => {
    const renamed = {
      ...queue('billing', { 'billing.place-invoice': RETRY_FAST }),
      formerly: { 'billing.apply-invoice': 'billing.place-invoice' },
    };
    const catalog = catalogOf(renamed as QueueDefinition);
    expect(catalog.currentName('billing' as never, 'billing.apply-invoice')).toBe('billing.place-invoice');
    expect(catalog.currentName('billing' as never, 'billing.place-invoice')).toBe('billing.place-invoice');
    expect(catalog.jobs()).toEqual(['billing.place-invoice']);
    const clash = {
      ...queue('refunds', { 'refunds.pay': RETRY_FAST, 'refunds.send': RETRY_FAST }),
      formerly: { 'refunds.send': 'refunds.pay' },
    };
    expect(() => catalog.register(clash as QueueDefinition)).toThrow(
      "queue 'refunds': 'refunds.send' must be a former name of one of its jobs",
    );
    const nowhere = { ...queue('mail2', { 'mail2.send': RETRY_FAST }), formerly: { 'mail2.post': 'mail2.deliver' } };
    expect(() => catalog.register(nowhere as QueueDefinition)).toThrow("'mail2.post' must be a former name of one of its jobs");
  });
});

describe('the worker startup check', () => {
  const catalog = catalogOf(orders, mail);

  test('a worker with one handler for every job starts', () => {
    const all = [
      processor('orders', ['orders.on-paid', 'orders.on-clock', 'orders.sweep']),
      processor('mail', ['mail.on-event', 'mail.on-clock']),
    ];
    expect(handlerProblems(catalog, all)).toEqual([]);
  });

  test('a worker missing one handler refuses to start, naming the job', () => {
    const partial = [processor('orders', ['orders.on-paid', 'orders.on-clock']), processor('mail', ['mail.on-event', 'mail.on-clock'])];
    expect(handlerProblems(catalog, partial)).toEqual(["job 'orders.sweep' of queue 'orders' has no handler"]);
  });

  test('a handler on the wrong queue does not count, and two processors of one queue are one too many', () => {
    const misplaced = [
      processor('mail', ['orders.on-paid', 'orders.on-clock', 'orders.sweep', 'mail.on-event', 'mail.on-clock']),
      processor('mail', ['mail.on-event']),
    ];
    expect(handlerProblems(catalog, misplaced)).toEqual([
      "job 'orders.on-paid' of queue 'orders' has no handler",
      "job 'orders.on-clock' of queue 'orders' has no handler",
      "job 'orders.sweep' of queue 'orders' has no handler",
      "job 'mail.on-event' of queue 'mail' has 2 handlers",
    ]);
  });

  test('a handler for a job no loaded queue declares is refused too', () => {
    const stray = [
      processor('orders', ['orders.on-paid', 'orders.on-clock', 'orders.sweep', 'orders.refund']),
      processor('mail', ['mail.on-event', 'mail.on-clock']),
    ];
    expect(handlerProblems(catalog, stray)).toEqual(["queue 'orders' handles job 'orders.refund', which no loaded queue declares"]);
  });

  test("the worker's bootstrap throws every problem at once, with the process's catalog", () => {
    JOB_CATALOG.register(orders);
    const discovery = {
      getProviders: () => [{ instance: processor('orders', ['orders.on-paid']) }, { instance: {} }],
    } as unknown as DiscoveryService;
    const check = new JobRegistryCheck(discovery, { WORKER_CONCURRENCY: 4 } as Environment);
    expect(() => check.onApplicationBootstrap()).toThrow(
      "Job registry check failed:\n  job 'orders.on-clock' of queue 'orders' has no handler\n  job 'orders.sweep' of queue 'orders' has no handler",
    );
  });
});
