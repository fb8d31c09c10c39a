import 'reflect-metadata';
import { assertServicesReachable, loadEnvironment, runMain } from '#core';
import { runMigrations } from './run-migrations.js';

runMain(async () => {
  const env = loadEnvironment();
  await assertServicesReachable(env, { queues: false });
  const applied = await runMigrations(env.DATABASE_URL);
  process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
});
