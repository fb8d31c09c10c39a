export * from './lifecycle.module.js';
export * from './phases.js';
export * from './schedule.js';
