import { type EventJob, RETRY_FAST, defineQueue } from '#core';

// Queue and job names are persisted (BullMQ's stores): never rename one without a migration plan.
declare module '#core' {
  interface QueueJobs {
    capture: {
      /** A pre-authorisation's reservation expired in the ledger: the payment expires too. */
      'capture.expire-authorization': EventJob<'ledger.pending_transfer.expired'>;
      /** Fraud was confirmed: the wallet's authorizations since the case began were the attacker's and are voided. */
      'capture.on-fraud-confirmed': EventJob<'fraud.confirmed'>;
    };
  }
}

export const CAPTURE_JOBS = defineQueue('capture', {
  jobs: {
    'capture.expire-authorization': RETRY_FAST,
    'capture.on-fraud-confirmed': RETRY_FAST,
  },
  routes: {
    'ledger.pending_transfer.expired': 'capture.expire-authorization',
    'fraud.confirmed': 'capture.on-fraud-confirmed',
  },
});
