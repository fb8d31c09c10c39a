import { type EventJob, type PeriodicJob, RETRY_FAST, RETRY_PERIODIC, defineQueue } from '#core';

// Queue and job names are persisted (BullMQ's stores): never rename one without a migration plan.
declare module '#core' {
  interface QueueJobs {
    webhooks: {
      /** Any event: one delivery per subscribed endpoint; a clock advance also fires the retries it made due. */
      'webhooks.on-event': EventJob;
      /**
       * One POST of an event to one endpoint (a scheduled attempt or an operator's redelivery).
       * attempt: the scheduled attempt's number (1 = first), or 'manual' for a redelivery.
       */
      'webhooks.deliver': { sandboxId: string; deliveryId: string; attempt: number | 'manual'; requestId: string | null };
      /** Periodic sweep of deliveries whose next attempt fell due, in every sandbox. */
      'webhooks.retry-sweep': PeriodicJob;
    };
  }
}

export const WEBHOOKS_JOBS = defineQueue('webhooks', {
  jobs: {
    'webhooks.on-event': RETRY_FAST,
    'webhooks.deliver': RETRY_FAST,
    'webhooks.retry-sweep': { ...RETRY_PERIODIC, everyMs: 5_000 },
  },
  routes: {},
  everyEvent: 'webhooks.on-event',
});
