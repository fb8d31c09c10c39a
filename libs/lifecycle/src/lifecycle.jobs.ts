import { type EventJob, type PeriodicJob, RETRY_FAST, RETRY_PERIODIC, defineQueue } from '#core';

// Queue and job names are persisted (BullMQ's stores): never rename one without a migration plan.
declare module '#core' {
  interface QueueJobs {
    lifecycle: {
      /** A sandbox clock moved: scheduled service transitions whose time came take effect. */
      'lifecycle.apply-due': EventJob<'sandbox.clock_advanced'>;
      /** Periodic: scheduled transitions whose time came in real time, in every sandbox. */
      'lifecycle.sweep': PeriodicJob;
      /** A phase took effect: publish the abolition notice to every customer, and the like. */
      'lifecycle.on-phase-changed': EventJob<'service.phase_changed'>;
      /** One batch of the abolition notice's fan-out to customers' messages. */
      'lifecycle.notice-batch': { sandboxId: string; noticeId: string; batch: number };
      /** A claim became payable: make sure a payout run will reach it. */
      'lifecycle.on-claim-payable': EventJob<'refund_claim.submitted' | 'refund_claim.corrected' | 'refund_claim.released'>;
      /** One batch of a payout run. */
      'lifecycle.payout-batch': EventJob<'refund_payout.run_started'> & { batch?: number };
      /** A fraud hold was released: a refund claim waiting on it can be paid. */
      'lifecycle.on-hold-released': EventJob<'hold.released'>;
      /** A store refunded into a wallet whose claim was paid: the refund is claimable too. */
      'lifecycle.on-store-refund': EventJob<'payment.refunded'>;
    };
  }
}

export const LIFECYCLE_JOBS = defineQueue('lifecycle', {
  jobs: {
    'lifecycle.apply-due': RETRY_FAST,
    'lifecycle.sweep': { ...RETRY_PERIODIC, everyMs: 5_000 },
    'lifecycle.on-phase-changed': RETRY_FAST,
    'lifecycle.notice-batch': RETRY_FAST,
    'lifecycle.on-claim-payable': RETRY_FAST,
    'lifecycle.payout-batch': RETRY_FAST,
    'lifecycle.on-hold-released': RETRY_FAST,
    'lifecycle.on-store-refund': RETRY_FAST,
  },
  routes: {
    'sandbox.clock_advanced': 'lifecycle.apply-due',
    'service.phase_changed': 'lifecycle.on-phase-changed',
    'refund_claim.submitted': 'lifecycle.on-claim-payable',
    'refund_claim.corrected': 'lifecycle.on-claim-payable',
    'refund_claim.released': 'lifecycle.on-claim-payable',
    'refund_payout.run_started': 'lifecycle.payout-batch',
    'hold.released': 'lifecycle.on-hold-released',
    'payment.refunded': 'lifecycle.on-store-refund',
  },
});
