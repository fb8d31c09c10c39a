/**
 * What a process's main needs before it builds anything: its settings, and
 * whether the services they name answer. Kept apart from '#core' (which
 * loads Nest, TypeORM and BullMQ, seconds of CPU) so that a process with a
 * bad setting names it at once, and loads the application only after.
 */
export { EnvironmentError, loadEnvironment } from './config/environment.js';
export { runMain, stopWithLauncher } from './config/process-main.js';
export { announceServing, superviseProcesses } from './config/process-group.js';
export { assertServicesReachable } from './config/services.js';
