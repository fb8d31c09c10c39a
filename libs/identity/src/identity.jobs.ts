import { type EventJob, RETRY_FAST, defineQueue } from '#core';

// Queue and job names are persisted (BullMQ's stores): never rename one without a migration plan.
declare module '#core' {
  interface QueueJobs {
    identity: {
      /** Fraud was confirmed: end the account's sessions and untrust its devices. */
      'identity.on-fraud-confirmed': EventJob<'fraud.confirmed'>;
      /** A risky sign-in: the customer's next sensitive call needs a fresh second factor. */
      'identity.on-step-up-demanded': EventJob<'fraud.step_up_demanded'>;
      /** The operator forced a password reset of every customer: one batch of customers. */
      'identity.force-password-reset': EventJob<'service.password_reset_forced'> & { after?: string };
    };
  }
}

export const IDENTITY_JOBS = defineQueue('identity', {
  jobs: {
    'identity.on-fraud-confirmed': RETRY_FAST,
    'identity.on-step-up-demanded': RETRY_FAST,
    'identity.force-password-reset': RETRY_FAST,
  },
  routes: {
    'fraud.confirmed': 'identity.on-fraud-confirmed',
    'fraud.step_up_demanded': 'identity.on-step-up-demanded',
    'service.password_reset_forced': 'identity.force-password-reset',
  },
});
