export * from './capture-worker.module.js';
export * from './capture.module.js';
export * from './stores.js';
export { MAX_PAYMENT_AMOUNT } from './payment-limits.js';
export * from './capture.jobs.js';
export * from './capture.events.js';
