export * from './client-facts.js';
export * from './identity.module.js';
export * from './migrations/1764000003000-identity.js';
export * from './passwords.js';
export * from './step-up.guard.js';
export * from './throttle.js';
export * from './users.repository.js';
