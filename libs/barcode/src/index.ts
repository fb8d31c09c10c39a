export * from './barcode-worker.module.js';
export * from './barcode.module.js';
export * from './code-format.js';
export * from './emv.js';
export * from './migrations/1764000004000-barcode.js';
export * from './payment-codes.js';
export * from './renderers.js';
