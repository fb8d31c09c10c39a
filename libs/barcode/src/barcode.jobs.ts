import { type EventJob, RETRY_FAST, defineQueue } from '#core';

// Queue and job names are persisted (BullMQ's stores): never rename one without a migration plan.
declare module '#core' {
  interface QueueJobs {
    barcode: {
      /** A customer's sessions ended: the payment codes their devices were showing stop paying. */
      'barcode.on-sessions-ended': EventJob<'auth.sessions_ended'>;
    };
  }
}

export const BARCODE_JOBS = defineQueue('barcode', {
  jobs: {
    'barcode.on-sessions-ended': RETRY_FAST,
  },
  routes: {
    'auth.sessions_ended': 'barcode.on-sessions-ended',
  },
});
