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
      'ledger.place-hold': EventJob<'hold.placed'>;
      /** A wallet hold was released: payments resume. */
      'ledger.release-hold': EventJob<'hold.released'>;
    };
  }
}

export const LEDGER_JOBS = defineQueue('ledger', {
  jobs: {
    'ledger.expire-on-clock-advance': RETRY_FAST,
    'ledger.expire-sweep': { ...RETRY_PERIODIC, everyMs: 5_000 },
    'ledger.place-hold': RETRY_FAST,
    'ledger.release-hold': RETRY_FAST,
  },
  routes: {
    'sandbox.clock_advanced': 'ledger.expire-on-clock-advance',
    'hold.placed': 'ledger.place-hold',
    'hold.released': 'ledger.release-hold',
  },
  // Renamed so that a hold is placed and released everywhere: jobs stored under the old names still run.
  formerly: { 'ledger.apply-hold': 'ledger.place-hold', 'ledger.lift-hold': 'ledger.release-hold' },
});
