import { type PeriodicJob, RETRY_PERIODIC, defineQueue } from '../queue/jobs.js';

// Names are persisted: see QueueJobs.
declare module '../queue/jobs.js' {
  interface QueueJobs {
    housekeeping: {
      /** Periodic purge of idempotency records past their 24 hours. */
      'housekeeping.purge-idempotency-keys': PeriodicJob;
      /** Periodic purge of failed_jobs records past FAILED_JOBS_KEPT_DAYS. */
      'housekeeping.purge-failed-jobs': PeriodicJob;
    };
  }
}

/** The kernel's own chores. */
export const HOUSEKEEPING_JOBS = defineQueue('housekeeping', {
  jobs: {
    'housekeeping.purge-idempotency-keys': { ...RETRY_PERIODIC, everyMs: 15 * 60_000 },
    'housekeeping.purge-failed-jobs': { ...RETRY_PERIODIC, everyMs: 60 * 60_000 },
  },
  routes: {},
});
