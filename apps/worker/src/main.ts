import 'reflect-metadata';
import { announceServing, assertServicesReachable, loadEnvironment, runMain, stopWithLauncher, superviseProcesses } from '#core/startup';

runMain(async () => {
  const env = loadEnvironment();
  await assertServicesReachable(env);
  // With WORKER_PROCESSES > 1 this process supervises the others, which run the rest.
  if (superviseProcesses('worker', env.WORKER_PROCESSES)) return;
  // The worker's modules load once its settings and services are known good.
  const { createWorker } = await import('./create-worker.js');
  await createWorker();
  stopWithLauncher();
  announceServing();
});
