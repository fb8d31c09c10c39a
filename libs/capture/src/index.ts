export * from './capture-worker.module.js';
export * from './capture.module.js';
export * from './migrations/1764000006000-capture.js';
export * from './migrations/1764000008200-capture-holds-and-places.js';
export * from './migrations/1764000008400-capture-balance-in-event.js';
export * from './migrations/1764000009200-capture-service-phase.js';
export * from './migrations/1764000009950-capture-payments-by-store.js';
export * from './stores.js';
export { MAX_PAYMENT_AMOUNT } from './usecases/capture-payment.js';
