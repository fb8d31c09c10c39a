export * from './delivery-targets.js';
export * from './retry-schedule.js';
export * from './signature.js';
export * from './webhook-sender.js';
export * from './webhooks-worker.module.js';
export * from './webhooks.module.js';
export * from './event-stream.js';
