import 'reflect-metadata';
import { assertServicesReachable, loadEnvironment, runMain, stopWithLauncher } from '#core';
import { createWorker } from './create-worker.js';

runMain(async () => {
  await assertServicesReachable(loadEnvironment());
  await createWorker();
  stopWithLauncher();
});
