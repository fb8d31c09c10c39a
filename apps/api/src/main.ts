import 'reflect-metadata';
import {
  EnvironmentError,
  announceServing,
  assertServicesReachable,
  loadEnvironment,
  runMain,
  stopWithLauncher,
  superviseProcesses,
} from '#core/startup';

runMain(async () => {
  const env = loadEnvironment();
  await assertServicesReachable(env);
  // With API_PROCESSES > 1 this process supervises the others, which run the rest.
  if (superviseProcesses('api', env.API_PROCESSES)) return;
  // The application loads once its settings and services are known good.
  const { createApi } = await import('./create-api.js');
  const app = await createApi();
  stopWithLauncher();
  try {
    await app.listen(env.PORT, env.HOST);
  } catch (error) {
    if ((error as { code?: string }).code !== 'EADDRINUSE') throw error;
    await app.close();
    throw new EnvironmentError([`PORT: ${env.HOST}:${env.PORT} is already in use; stop what listens there or set PORT to a free port`]);
  }
  announceServing();
});
