import { type EventJob, type PeriodicJob, RETRY_FAST, RETRY_PERIODIC, defineQueue } from '#core';

// Queue and job names are persisted (BullMQ's stores): never rename one without a migration plan.
declare module '#core' {
  interface QueueJobs {
    ledger: {
      /** A sandbox clock moved: expire that sandbox's overdue pending transfers. */
      'ledger.expire-on-clock-advance': EventJob<'sandbox.clock_advanced'>;
      /** Periodic sweep of overdue pending transfers in every sandbox. */
      'ledger.expire-sweep': PeriodicJob;
      /** The fraud module placed a wallet hold: payments stop. */
      'ledger.apply-hold': EventJob<'hold.placed'>;
      /** A wallet hold was lifted: payments resume. */
      'ledger.lift-hold': EventJob<'hold.released'>;
    };
  }
}

export const LEDGER_JOBS = defineQueue('ledger', {
  jobs: {
    'ledger.expire-on-clock-advance': RETRY_FAST,
    'ledger.expire-sweep': { ...RETRY_PERIODIC, everyMs: 5_000 },
    'ledger.apply-hold': RETRY_FAST,
    'ledger.lift-hold': RETRY_FAST,
  },
  routes: {
    'sandbox.clock_advanced': 'ledger.expire-on-clock-advance',
    'hold.placed': 'ledger.apply-hold',
    'hold.released': 'ledger.lift-hold',
  },
});
