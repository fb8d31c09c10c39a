export * from './ledger-worker.module.js';
export * from './ledger.module.js';
export * from './ledger.service.js';
export * from './ledger.types.js';
export * from './migrations/1764000002000-ledger.js';
export * from './migrations/1764000005000-ledger-available.js';
export * from './migrations/1764000008100-ledger-holds.js';
export * from './reconciliation.js';
