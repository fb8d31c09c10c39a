export * from './card-network.js';
export * from './limits.js';
export * from './topup.module.js';
export * from './topup.processor.js';
export * from './topups.repository.js';
export * from './usecases/expire-topups.js';
export * from './usecases/resolve-held.js';
export * from './usecases/settle-topup.js';
