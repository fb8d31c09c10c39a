import 'reflect-metadata';
import { EnvironmentError, loadEnvironment } from '#core';
import { runMigrations } from './run-migrations.js';

async function main(): Promise<void> {
  const env = loadEnvironment();
  const applied = await runMigrations(env.DATABASE_URL);
  process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof EnvironmentError ? error.message : ((error as Error)?.stack ?? String(error))}\n`);
  process.exit(1);
});
