import { type EventJob, type JobSpec, type PeriodicJob, RETRY_FAST, RETRY_PERIODIC, defineQueue } from '#core';

// Queue and job names are persisted (BullMQ's stores): never rename one without a migration plan.
declare module '#core' {
  interface QueueJobs {
    topup: {
      /** The screening decided: fund and settle, hold, or fail the top-up. */
      'topup.on-screened': EventJob<'fraud.topup_screened'>;
      /** The screening failed for good: the top-up fails closed. */
      'topup.on-screening-failed': EventJob<'fraud.topup_screening_failed'>;
      /** The customer passed 3-D Secure: fund and settle the card top-up. */
      'topup.on-authenticated': EventJob<'topup.authenticated'>;
      /** A hold was released: settle its held top-ups. */
      'topup.on-hold-released': EventJob<'hold.released'>;
      /** Fraud was confirmed: cancel the case's held top-ups. */
      'topup.on-fraud-confirmed': EventJob<'fraud.confirmed'>;
      /** The victim was compensated: the reversed card top-ups are cancelled. */
      'topup.on-compensated': EventJob<'compensation.paid'>;
      /** A sandbox clock moved: fail its top-ups whose deposit code or 3-D Secure challenge ran out. */
      'topup.expire-on-clock-advance': EventJob<'sandbox.clock_advanced'>;
      /** Periodic sweep of top-ups past their deadline in every sandbox. */
      'topup.expire-sweep': PeriodicJob;
    };
  }
}

/** The funding gateway's transient errors heal in seconds: retry for about a minute. */
const RETRY_GATEWAY = { attempts: 10, backoff: { type: 'exponential', delay: 100 } } satisfies JobSpec;

export const TOPUP_JOBS = defineQueue('topup', {
  jobs: {
    'topup.on-screened': RETRY_GATEWAY,
    'topup.on-screening-failed': RETRY_FAST,
    'topup.on-authenticated': RETRY_GATEWAY,
    'topup.on-hold-released': RETRY_FAST,
    'topup.on-fraud-confirmed': RETRY_FAST,
    'topup.on-compensated': RETRY_FAST,
    'topup.expire-on-clock-advance': RETRY_FAST,
    'topup.expire-sweep': { ...RETRY_PERIODIC, everyMs: 60_000 },
  },
  routes: {
    'fraud.topup_screened': 'topup.on-screened',
    'fraud.topup_screening_failed': 'topup.on-screening-failed',
    'topup.authenticated': 'topup.on-authenticated',
    'hold.released': 'topup.on-hold-released',
    'fraud.confirmed': 'topup.on-fraud-confirmed',
    'compensation.paid': 'topup.on-compensated',
    'sandbox.clock_advanced': 'topup.expire-on-clock-advance',
  },
});
