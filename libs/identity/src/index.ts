export * from './client-facts.js';
export * from './identity-worker.module.js';
export * from './identity.module.js';
export * from './passwords.js';
export * from './step-up.guard.js';
export * from './throttle.js';
export * from './users.repository.js';
export { StepUp } from './usecases/require-step-up.js';
export { E164, normalizeEmail } from './dto/auth.dto.js';
