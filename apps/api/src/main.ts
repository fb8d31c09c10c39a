import 'reflect-metadata';
import { EnvironmentError, assertServicesReachable, loadEnvironment, runMain, stopWithLauncher } from '#core';
import { createApi } from './create-api.js';

runMain(async () => {
  const env = loadEnvironment();
  await assertServicesReachable(env);
  const app = await createApi();
  stopWithLauncher();
  try {
    await app.listen(env.PORT, env.HOST);
  } catch (error) {
    if ((error as { code?: string }).code !== 'EADDRINUSE') throw error;
    await app.close();
    throw new EnvironmentError([`PORT: ${env.HOST}:${env.PORT} is already in use; stop what listens there or set PORT to a free port`]);
  }
});
