import 'reflect-metadata';
import { EnvironmentError, loadEnvironment } from '#core';
import { createWorker } from './create-worker.js';

async function main(): Promise<void> {
  loadEnvironment();
  await createWorker();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof EnvironmentError ? error.message : ((error as Error)?.stack ?? String(error))}\n`);
  process.exit(1);
});
