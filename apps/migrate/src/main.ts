import 'reflect-metadata';
import { assertServicesReachable, loadEnvironment, runMain } from '#core/startup';

runMain(async () => {
  const env = loadEnvironment();
  await assertServicesReachable(env, { queues: false });
  // The migrations' reader loads once the settings and the database are known good.
  const { runMigrations } = await import('./run-migrations.js');
  const applied = await runMigrations(env.DATABASE_URL, undefined, env.DATABASE_TOPOLOGY);
  process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
});
