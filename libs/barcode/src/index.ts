export * from './barcode-worker.module.js';
export * from './barcode.module.js';
export * from './code-format.js';
export * from './payment-code-redemption.repository.js';
export * from './emv.js';
export * from './renderers.js';
export * from './barcode.jobs.js';
