export * from './lifecycle.module.js';
export * from './migrations/1764000009000-lifecycle.js';
export * from './phases.js';
export * from './schedule.js';
