/**
 * `npm run demo:7pay [-- --customers N --seed S --keep]`: replays 7pay's
 * 2019 on a Wallet Sandbox of its own, on the sandbox clock — the launch,
 * a credential-stuffing wave on a `legacy-2019` sandbox, the damage report,
 * each suspension, the abolition notice, the end of the service, refund
 * claims and payouts, the deadline — and ends with a report whose every
 * figure is checked against the ledger and the replay's own book.
 */
import { Command, InvalidArgumentError } from 'commander';
import { say } from '../support/progress.js';
import { SandboxApi } from '../cli/api.js';
import type { SandboxKeys } from './app.js';
import { credentialStuffing } from './attack.js';
import { castFor } from './cast.js';
import { SandboxClock, jst } from './clock.js';
import { firstDays, launch, signUps } from './opening.js';
import { Random } from './random.js';
import { deadline, lastWeeks, refundWindow, termination } from './refunds.js';
import { finalReport, renderReport } from './report.js';
import { PrivateSandbox } from '../support/private-sandbox.js';
import { abolition, cardTopupsSuspended, damageReport, forcedPasswordReset, review, topupsSuspended } from './suspension.js';
import { World } from './world.js';

interface Options {
  customers: number;
  seed: number;
  keep: boolean;
}

function whole(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    return n;
  };
}

const program = new Command()
  .name('npm run demo:7pay --')
  .description("Replay 7pay's 2019 — launch, credential stuffing, suspension, abolition, refunds — on a sandbox of its own.")
  .option('--customers <n>', 'customers who sign up on launch day', whole(100, 20_000), 600)
  .option('--seed <n>', 'the seed: the same seed tells the same story', whole(0, 2 ** 31), 2019)
  .option('--keep', 'keep the sandbox running after the report, to look around (Ctrl-C ends it)', false)
  .showHelpAfterError();

async function replay(options: Options, services: PrivateSandbox): Promise<boolean> {
  const started = Date.now();
  await services.start((what) => say(`starting: ${what}`));
  const api = new SandboxApi(services.baseUrl);
  const keys = await api.post<SandboxKeys>(
    '/v1/sandboxes',
    { bearer: services.adminToken },
    { name: '7pay 2019', securityProfile: 'legacy-2019', clockStartsAt: jst('2019-07-01 05:00').toISOString() },
  );
  say(`sandbox ${keys.id} (legacy-2019) at ${services.baseUrl}; ${options.customers} customers, seed ${options.seed}\n`);
  const random = new Random(options.seed);
  const clock = new SandboxClock(api, keys.secretKey);
  await clock.read();
  const w = new World(services, api, keys, clock, random, castFor(options.customers, random.stream('cast')));

  await launch(w);
  await signUps(w);
  await firstDays(w);
  await credentialStuffing(w);
  await cardTopupsSuspended(w);
  await topupsSuspended(w);
  await review(w);
  await damageReport(w, '2019-07-11 17:00');
  await forcedPasswordReset(w);
  await damageReport(w, '2019-07-31 17:00');
  await abolition(w);
  const lastPurchases = await lastWeeks(w);
  const refundable = await termination(w, lastPurchases);
  await refundWindow(w, refundable);
  await deadline(w);

  const rows = await finalReport(w);
  process.stdout.write(`\n${renderReport(rows)}\n\n`);
  const refusals = [...w.book.refusals.entries()].sort(([a], [b]) => a.localeCompare(b));
  say('refused along the way (what was tried: the code the sandbox answered, times):');
  for (const [what, times] of refusals) say(`  ${what.padEnd(52)} ${times}`);
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  const ok = rows.every((r) => r.ok);
  say(`\n${ok ? 'every figure reconciles' : 'SOME FIGURES DO NOT RECONCILE'} — ${minutes} min of real time`);
  if (options.keep) {
    say(`\nthe sandbox stays up at ${services.baseUrl} (docs at ${services.baseUrl}/docs); secret key ${keys.secretKey}`);
    say('Ctrl-C to stop and remove it');
    await new Promise<void>((resolve) => process.once('SIGINT', resolve));
  }
  return ok;
}

async function main(): Promise<void> {
  const options = program.parse().opts<Options>();
  const services = new PrivateSandbox({
    name: 'demo',
    // The demo is every customer's and attacker's proxy: each request names its client in X-Forwarded-For.
    settings: { TRUSTED_PROXIES: '127.0.0.1,::1' },
  });
  const stop = () => {
    void services.stop().finally(() => process.exit(130));
  };
  if (!options.keep) process.once('SIGINT', stop);
  try {
    process.exitCode = (await replay(options, services)) ? 0 : 1;
  } finally {
    await services.stop();
  }
}

main().catch((error: unknown) => {
  say(`\ndemo:7pay stopped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
