export * from './fraud-worker.module.js';
export * from './fraud.module.js';
export * from './holds.js';
export * from './rules.js';
export * from './usecases/assess-damage.js';
export * from './usecases/compensate-victim.js';
export * from './usecases/decide-on-events.js';
