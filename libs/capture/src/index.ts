export * from './capture-worker.module.js';
export * from './capture.module.js';
export * from './migrations/1764000006000-capture.js';
