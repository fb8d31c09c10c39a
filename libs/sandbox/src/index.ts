export * from './messages.js';
export * from './sandbox-contexts.js';
export * from './sandbox.module.js';
export * from './sandbox.repository.js';
export * from './sandbox.events.js';
