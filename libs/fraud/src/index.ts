export * from './compensation.js';
export * from './decisions.js';
export * from './fraud.module.js';
export * from './holds.js';
export * from './rules.js';
