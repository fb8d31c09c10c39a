export * from './compensation.js';
export * from './decisions.js';
export * from './fraud.module.js';
export * from './holds.js';
export * from './migrations/1764000007500-fraud-screenings.js';
export * from './migrations/1764000008300-fraud-engine.js';
export * from './migrations/1764000009800-fraud-alerts.js';
export * from './rules.js';
