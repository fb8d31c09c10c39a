import 'reflect-metadata';
import { assertServicesReachable, loadEnvironment, runMain, stopWithLauncher } from '#core/startup';

runMain(async () => {
  await assertServicesReachable(loadEnvironment());
  // The worker's modules load once its settings and services are known good.
  const { createWorker } = await import('./create-worker.js');
  await createWorker();
  stopWithLauncher();
});
