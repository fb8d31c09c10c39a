import { type INestApplicationContext, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JOB_CATALOG, PinoNestLogger, createRootLogger, loadEnvironment } from '#core';
import { WorkerModule } from './worker.module.js';

/** Builds the worker: processors start consuming and the relay starts moving events on init. */
export async function createWorker(): Promise<INestApplicationContext> {
  const env = loadEnvironment();
  const app = await NestFactory.createApplicationContext(WorkerModule, {
    logger: new PinoNestLogger(createRootLogger(env.LOG_LEVEL, 'worker', env.logFormat())),
    abortOnError: false,
  });
  // SIGTERM closes the BullMQ workers, which finish their active jobs first.
  app.enableShutdownHooks();
  await app.init();
  new Logger('Worker').log(`worker started: relaying the outbox, consuming ${JOB_CATALOG.queues().join(', ')}`);
  return app;
}
