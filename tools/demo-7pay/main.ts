/**
 * `npm run demo:7pay [-- --customers N --seed S --pace fast|presenter --keep --attach URL]`:
 * replays 7pay's 2019 on a Wallet Sandbox of its own (or, with --attach, on
 * a running one), on the sandbox clock — the launch, a credential-stuffing
 * wave on a `legacy-2019` sandbox, the damage report, each suspension, the
 * abolition notice, the end of the service, refund claims and payouts, the
 * deadline — and ends with a report whose every figure is checked against
 * the ledger and the replay's own book. The console's Replay room watches it.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { say } from '../support/progress.js';
import { SandboxApi, must } from './api.js';
import type { SandboxKeys } from './app.js';
import { AttachedServices, keysFromEnvironment } from './attached.js';
import { credentialStuffing } from './attack.js';
import { castFor } from './cast.js';
import { SandboxClock, jst } from './clock.js';
import { firstDays, launch, signUps } from './opening.js';
import { watchChapters } from './progress.js';
import { Random } from './random.js';
import { deadline, lastWeeks, refundWindow, termination } from './refunds.js';
import { type Pace, ReplayRecord } from './replay-record.js';
import { finalReport, renderReport } from './report.js';
import { PrivateSandbox, developerSettings } from '../support/private-sandbox.js';
import { abolition, cardTopupsSuspended, damageReport, forcedPasswordReset, review, topupsSuspended } from './suspension.js';
import { type Services, World } from './world.js';

interface Options {
  customers: number;
  seed: number;
  keep: boolean;
  pace: Pace;
  attach?: string;
}

function baseUrl(value: string): string {
  if (!/^https?:\/\/[^\s/]+\/?$/.test(value)) throw new InvalidArgumentError("must be the api's base URL, like http://localhost:3000");
  return value.replace(/\/+$/, '');
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
  .description(
    "Replay 7pay's 2019 — launch, credential stuffing, suspension, abolition, refunds — on a sandbox of its own, or on a running api (--attach).",
  )
  .option('--customers <n>', 'customers who sign up on launch day', whole(20, 20_000), 600)
  .option('--seed <n>', 'the seed: the same seed tells the same story', whole(0, 2 ** 31), 2019)
  .addOption(
    new Option('--pace <pace>', 'fast, or presenter: a pause after each chapter so an audience can follow on screen')
      .choices(['fast', 'presenter'])
      .default('fast'),
  )
  .option(
    '--attach <url>',
    'replay on the Wallet Sandbox running at <url> (npm start) instead of one of its own: a new sandbox made with ADMIN_TOKEN',
    baseUrl,
  )
  .option('--keep', 'keep the sandbox running after the report, to look around (Ctrl-C ends it)', false)
  .showHelpAfterError();

/** Where the story is told: the sandbox, the api that serves it, and whatever settles its worker. */
interface Stage {
  api: SandboxApi;
  keys: SandboxKeys;
  services: Services;
  /** Set when the api started this replay and recorded it already. */
  recorded: boolean;
  /** On a running api, whose sandbox outlives the run: a run stopped half-way says so in its record. */
  attached: boolean;
}

async function replay(options: Options, stage: Stage): Promise<boolean> {
  const started = Date.now();
  const { api, keys, services } = stage;
  const operator = api.as({ bearer: keys.secretKey });
  const record = new ReplayRecord(operator, options.pace);
  if (!stage.recorded) await record.open({ customers: options.customers, seed: options.seed });
  if (stage.attached) {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => void record.fail(new Error(`stopped by ${signal}`)).finally(() => process.exit(130)));
    }
  }
  say(`sandbox ${keys.id} (legacy-2019) at ${api.baseUrl}; ${options.customers} customers, seed ${options.seed}`);
  if (!stage.recorded) say(`Watch: ${api.baseUrl}/console/operator/replay#sk=${keys.secretKey}&pk=${keys.publishableKey}`);
  say();
  const random = new Random(options.seed);
  const clock = new SandboxClock(operator);
  await clock.read();
  const w = new World(services, api, keys, clock, random, castFor(options.customers, random.stream('cast')));
  record.follow(w);
  watchChapters(record);
  try {
    await tell(w);
  } catch (error) {
    await record.fail(error);
    throw error;
  } finally {
    watchChapters(null);
  }

  const rows = await finalReport(w);
  await record.finish(rows);
  process.stdout.write(`\n${renderReport(rows)}\n\n`);
  const refusals = [...w.book.refusals.entries()].sort(([a], [b]) => a.localeCompare(b));
  say('refused along the way (what was tried: the code the sandbox answered, times):');
  for (const [what, times] of refusals) say(`  ${what.padEnd(52)} ${times}`);
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  const ok = rows.every((r) => r.ok);
  say(`\n${ok ? 'every figure reconciles' : 'SOME FIGURES DO NOT RECONCILE'} — ${minutes} min of real time`);
  return ok;
}

/** The story, chapter by chapter. */
async function tell(w: World): Promise<void> {
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
}

/** The sandbox as 7pay ran it: legacy-2019, its clock on 2019-07-01 before the stores open. */
async function newSandbox(api: SandboxApi, adminToken: string, simulatedClientIps: boolean): Promise<SandboxKeys> {
  return must(
    api.as({ bearer: adminToken }).POST('/v1/sandboxes', {
      body: {
        name: '7pay 2019',
        securityProfile: 'legacy-2019',
        clockStartsAt: jst('2019-07-01 05:00').toISOString(),
        ...(simulatedClientIps ? { simulatedClientIps } : {}),
      },
    }),
  );
}

/** On a running api: each customer's network named in Sandbox-Client-Ip, which the replay's sandbox honours. */
async function attached(options: Options & { attach: string }): Promise<void> {
  const api = new SandboxApi(options.attach, 'sandbox-client-ip');
  const given = keysFromEnvironment();
  const services = new AttachedServices();
  try {
    let keys = given;
    if (!keys) {
      const adminToken = developerSettings().ADMIN_TOKEN;
      if (!adminToken) throw new Error("--attach makes a new sandbox with the api's ADMIN_TOKEN: set it in the environment or .env");
      keys = await newSandbox(api, adminToken, true);
    }
    process.exitCode = (await replay(options, { api, keys, services, recorded: given !== null, attached: true })) ? 0 : 1;
  } finally {
    await services.close();
  }
}

async function main(): Promise<void> {
  const options = program.parse().opts<Options>();
  if (options.attach) return attached({ ...options, attach: options.attach });
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
    await services.start((what) => say(`starting: ${what}`));
    const api = new SandboxApi(services.baseUrl);
    const keys = await newSandbox(api, services.adminToken, false);
    process.exitCode = (await replay(options, { api, keys, services, recorded: false, attached: false })) ? 0 : 1;
    if (options.keep) {
      say(`\nthe sandbox stays up at ${services.baseUrl} (docs at ${services.baseUrl}/docs); secret key ${keys.secretKey}`);
      say('Ctrl-C to stop and remove it');
      await new Promise<void>((resolve) => process.once('SIGINT', resolve));
    }
  } finally {
    await services.stop();
  }
}

main().catch((error: unknown) => {
  say(`\ndemo:7pay stopped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
