/**
 * Money in and out: top-ups, payments at the register, their bad input,
 * idempotent retries, and the jobs that fail for good on the way. The
 * specs share one api and worker.
 */
import './topup.spec.js';
import './capture.spec.js';
import './capture-input.spec.js';
import './idempotency.spec.js';
import './job-failures.spec.js';
