export * from './barcode-worker.module.js';
export * from './barcode.module.js';
export * from './code-format.js';
export * from './emv.js';
export * from './renderers.js';
