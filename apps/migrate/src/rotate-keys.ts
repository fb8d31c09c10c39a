import 'reflect-metadata';
import { assertServicesReachable, loadEnvironment, runMain } from '#core/startup';

/**
 * `npm run rotate-keys` (in the image: `node dist/apps/migrate/src/rotate-keys.js`):
 * re-seals every sealed value under the current SECRETS_KEY, through the
 * repository of the module that owns it. Run it once every process has the
 * new SECRETS_KEY and the old one in SECRETS_KEY_PREVIOUS; afterwards the old
 * key may go. Safe to run again, and beside a running api and worker.
 */
runMain(async () => {
  const env = loadEnvironment();
  await assertServicesReachable(env);
  // The modules load once the settings and the services are known good.
  const { resealEverything } = await import('./reseal-everything.js');
  const { keyId, reports } = await resealEverything();
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(`sealing key ${keyId} (SECRETS_KEY)`);
  for (const report of reports) {
    say(`  ${report.column}: ${report.resealed} re-sealed, ${report.current} already current, ${report.unopenable.length} unopenable`);
    for (const row of report.unopenable) say(`    ${row}`);
  }
  if (reports.some((report) => report.unopenable.length > 0)) {
    process.stderr.write('some values open with no configured key: add the key that sealed them to SECRETS_KEY_PREVIOUS and run again\n');
    process.exit(1);
  }
});
