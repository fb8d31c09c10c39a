export * from './lifecycle-worker.module.js';
export * from './lifecycle.module.js';
export * from './phases.js';
export * from './schedule.js';
export type { Transition } from './transitions.repository.js';
export * from './lifecycle.jobs.js';
export * from './lifecycle.events.js';
