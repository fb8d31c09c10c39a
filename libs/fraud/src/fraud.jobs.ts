import { type EventJob, type PeriodicJob, RETRY_FAST, RETRY_PERIODIC, defineQueue } from '#core';
import type { ObservedTopic } from './observations.js';

// Queue and job names are persisted (BullMQ's stores): never rename one without a migration plan.
declare module '#core' {
  interface QueueJobs {
    fraud: {
      /** Screen a requested top-up: approve, hold or decline. */
      'fraud.screen-topup': EventJob<'topup.requested'>;
      /** Remember an event and act on what it reveals (sign-ins, cards, top-ups, payments); a requested top-up is screened instead. */
      'fraud.observe': EventJob<Exclude<ObservedTopic, 'topup.requested'>>;
      /** Make a confirmed victim whole. */
      'fraud.compensate': EventJob<'fraud.confirmed'>;
      /** A payment was voided: a compensation waiting for the case's authorizations to be voided goes on. */
      'fraud.on-payment-voided': EventJob<'payment.voided'>;
      /** A sandbox clock moved: release its holds nobody reviewed in time. */
      'fraud.expire-holds': EventJob<'sandbox.clock_advanced'>;
      /** Periodic sweep of unreviewed holds in every sandbox. */
      'fraud.hold-sweep': PeriodicJob;
    };
  }
}

export const FRAUD_JOBS = defineQueue('fraud', {
  jobs: {
    'fraud.screen-topup': RETRY_FAST,
    'fraud.observe': RETRY_FAST,
    'fraud.compensate': RETRY_FAST,
    'fraud.on-payment-voided': RETRY_FAST,
    'fraud.expire-holds': RETRY_FAST,
    'fraud.hold-sweep': { ...RETRY_PERIODIC, everyMs: 60_000 },
  },
  routes: {
    'topup.requested': 'fraud.screen-topup',
    'auth.login_failed': 'fraud.observe',
    'auth.login_succeeded': 'fraud.observe',
    'auth.password_reset_completed': 'fraud.observe',
    'card.added': 'fraud.observe',
    'topup.succeeded': 'fraud.observe',
    'payment.captured': 'fraud.observe',
    'payment.refunded': 'fraud.observe',
    'store.invalid_codes': 'fraud.observe',
    'fraud.confirmed': 'fraud.compensate',
    'payment.voided': 'fraud.on-payment-voided',
    'sandbox.clock_advanced': 'fraud.expire-holds',
  },
});
