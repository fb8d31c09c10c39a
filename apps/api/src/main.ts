import 'reflect-metadata';
import { EnvironmentError, loadEnvironment } from '#core';
import { createApi } from './create-api.js';

async function main(): Promise<void> {
  const env = loadEnvironment();
  const app = await createApi();
  await app.listen(env.PORT, env.HOST);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof EnvironmentError ? error.message : ((error as Error)?.stack ?? String(error))}\n`);
  process.exit(1);
});
