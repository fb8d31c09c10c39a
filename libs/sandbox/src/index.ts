export * from './messages.js';
export * from './migrations/1764000001000-sandbox.js';
export * from './migrations/1764000009400-sandbox-clock-start.js';
export * from './migrations/1764000010000-sandbox-simulated-client-ips.js';
export * from './migrations/1764000010100-sandbox-replays.js';
export * from './sandbox-contexts.js';
export * from './sandbox.module.js';
export * from './sandbox.repository.js';
