export * from './messages.js';
export * from './migrations/1764000001000-sandbox.js';
export * from './migrations/1764000009400-sandbox-clock-start.js';
export * from './sandbox-contexts.js';
export * from './sandbox.module.js';
export * from './sandbox.repository.js';
