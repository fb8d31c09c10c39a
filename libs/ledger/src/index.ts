export * from './ledger-worker.module.js';
export * from './ledger.module.js';
export * from './ledger.service.js';
export * from './ledger.types.js';
export * from './reconciliation.js';
export * from './usecases/reconcile-ledger.js';
export * from './ledger.jobs.js';
export * from './ledger.events.js';
