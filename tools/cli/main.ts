/**
 * `npm run cli -- <command>`: drives a Wallet Sandbox over its HTTP api —
 * create a sandbox, seed demo data, tail events, verify a webhook
 * signature, move the clock. `--help` on any command says more.
 */
import { readFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import ms from 'ms';
// The signature check alone, not the webhooks module: it needs nothing but node:crypto.
import { DEFAULT_TOLERANCE_SECONDS, verifySignature } from '../../libs/webhooks/src/signature.js';
import { ApiError, SandboxApi } from './api.js';
import { tailEvents } from './events.js';
import { seed, seedSteps } from './seed.js';
import { type GlobalOptions, Settings, saveCurrent } from './settings.js';

function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function count(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number');
  return Number(value);
}

/** `90` (seconds), `90s`, `15m`, `2h`, `3d`, `1w`: whole seconds, at least one. */
function durationSeconds(value: string): number {
  const parsed = /^\d+$/.test(value) ? Number(value) * 1000 : (ms(value as ms.StringValue) as number | undefined);
  const seconds = parsed === undefined ? NaN : parsed / 1000;
  if (!Number.isSafeInteger(seconds) || seconds < 1) throw new InvalidArgumentError('must be a duration like 90, 90s, 15m, 2h or 3d');
  return seconds;
}

const program = new Command()
  .name('npm run cli --')
  .description('Drive a Wallet Sandbox over its HTTP api.')
  .option('--url <url>', 'api base URL (default: WALLET_SANDBOX_URL, PUBLIC_URL of .env, http://localhost:3000)')
  .option('--secret-key <key>', "sandbox secret key (default: WALLET_SANDBOX_SECRET_KEY, the current or the demo sandbox's)")
  .option('--publishable-key <key>', "publishable key (default: WALLET_SANDBOX_PUBLISHABLE_KEY, the current or the demo sandbox's)")
  .option('--admin-token <token>', 'platform admin token (default: ADMIN_TOKEN of the environment or .env)')
  .showHelpAfterError();

function context(command: Command): { settings: Settings; api: SandboxApi } {
  const settings = new Settings(command.optsWithGlobals<GlobalOptions>());
  return { settings, api: new SandboxApi(settings.baseUrl) };
}

const sandbox = program.command('sandbox').description('Sandboxes');
sandbox
  .command('create')
  .description('Create a sandbox (admin token); its keys are shown once')
  .option('--name <name>', 'its name', 'cli')
  .addOption(new Option('--profile <profile>', 'security profile').choices(['hardened', 'legacy-2019']).default('hardened'))
  .option('--use', 'make it the current sandbox of later commands (.wallet-sandbox/cli.json)')
  .option('--json', 'print the answer as JSON')
  .action(async (options: { name: string; profile: string; use?: boolean; json?: boolean }, command: Command) => {
    const { settings, api } = context(command);
    const created = await api.post<{ id: string; secretKey: string; publishableKey: string; securityProfile: string }>(
      '/v1/sandboxes',
      { bearer: settings.adminToken },
      { name: options.name, securityProfile: options.profile },
    );
    const saved = options.use
      ? saveCurrent({ id: created.id, secretKey: created.secretKey, publishableKey: created.publishableKey })
      : null;
    if (options.json) return say(JSON.stringify(created, null, 2));
    say(`Sandbox ${created.id} (${created.securityProfile})`);
    say(`  secret key       ${created.secretKey}`);
    say(`  publishable key  ${created.publishableKey}`);
    if (saved) say(`Later commands use it (saved in ${saved}).`);
  });

program
  .command('seed')
  .description('Seed demo data: customers with funded wallets, and stores with register keys')
  .option('--users <n>', 'customers to register (a hardened sandbox takes 20 an hour from one address)', count, 5)
  .option('--stores <n>', 'stores to open', count, 2)
  .option('--balance <yen>', "yen in each customer's wallet", count, 10_000)
  .option('--json', 'print what was made as JSON')
  .action(async (options: { users: number; stores: number; balance: number; json?: boolean }, command: Command) => {
    const { settings, api } = context(command);
    const keys = { secretKey: settings.secretKey, publishableKey: settings.publishableKey };
    const bar = new cliProgress.SingleBar({ format: 'Seeding [{bar}] {value}/{total} {step}', stream: process.stderr, hideCursor: true });
    bar.start(seedSteps(options), 0, { step: '' });
    let seeded;
    try {
      seeded = await seed(api, keys, options, (step) => bar.increment({ step }));
    } finally {
      bar.stop();
    }
    if (seeded.stoppedBy) process.exitCode = 1;
    if (options.json) return say(JSON.stringify(seeded, null, 2));
    say(`${seeded.users.length} customers:`);
    for (const user of seeded.users)
      say(`  ${user.email}  password ${user.password}  phone ${user.phone}  wallet ${user.walletId}  ¥${user.balance}`);
    say(`${seeded.stores.length} stores:`);
    for (const store of seeded.stores) say(`  ${store.id}  ${store.name}  register key ${store.apiKey}`);
    if (seeded.stoppedBy) process.stderr.write(`seeding stopped: ${seeded.stoppedBy}\n`);
  });

const events = program.command('events').description('The event log');
events
  .command('tail')
  .description('Print events as they happen, until Ctrl-C')
  .option('--type <type>', 'only this event type')
  .option('--last <n>', 'first print the last n events (at most 100)', count, 0)
  .option('--interval <ms>', 'how often to look', count, 1_000)
  .option('--json', 'one JSON event per line')
  .action(async (options: { type?: string; last: number; interval: number; json?: boolean }, command: Command) => {
    const { settings, api } = context(command);
    const stop = new AbortController();
    process.once('SIGINT', () => stop.abort());
    process.once('SIGTERM', () => stop.abort());
    await tailEvents(api, settings.secretKey, { ...options, intervalMs: options.interval, signal: stop.signal }, (event) =>
      say(options.json ? JSON.stringify(event) : `${event.createdAt}  ${event.type.padEnd(28)} ${event.id}  ${JSON.stringify(event.data)}`),
    );
  });

const webhooks = program.command('webhooks').description('Webhooks');
webhooks
  .command('verify')
  .description("Check a delivery's Wallet-Signature against the raw body saved in a file")
  .argument('<file>', 'the request body, byte for byte')
  .requiredOption('--signature <header>', 'the Wallet-Signature header: t=…,v1=…')
  .option('--secret <whsec>', "the endpoint's signing secret (default: WALLET_SANDBOX_WEBHOOK_SECRET)")
  .option('--tolerance <seconds>', 'how old the signature may be', count, DEFAULT_TOLERANCE_SECONDS)
  .action((file: string, options: { signature: string; secret?: string; tolerance: number }) => {
    const secret = options.secret ?? process.env.WALLET_SANDBOX_WEBHOOK_SECRET;
    if (!secret) throw new Error('Missing the signing secret (--secret or WALLET_SANDBOX_WEBHOOK_SECRET)');
    const result = verifySignature({
      body: readFileSync(file),
      header: options.signature,
      secret,
      nowSeconds: Math.floor(Date.now() / 1000),
      toleranceSeconds: options.tolerance,
    });
    if (!result.ok) {
      say(`invalid: ${result.reason}`);
      process.exitCode = 1;
      return;
    }
    say(`valid: signed at ${new Date(result.timestamp * 1000).toISOString()}`);
  });

const clock = program.command('clock').description("The sandbox's clock");
clock
  .command('show', { isDefault: true })
  .description('Print sandbox time')
  .action(async (_options: unknown, command: Command) => {
    const { settings, api } = context(command);
    const now = await api.get<{ now: string; offsetSeconds: number }>('/v1/sandbox/clock', { bearer: settings.secretKey });
    say(`${now.now}  (${now.offsetSeconds} s ahead of real time)`);
  });
clock
  .command('advance')
  .description('Move sandbox time forward: due expiries, retries and schedules run at once')
  .argument('<duration>', 'seconds, or 90s, 15m, 2h, 3d, 1w', durationSeconds)
  .action(async (seconds: number, _options: unknown, command: Command) => {
    const { settings, api } = context(command);
    const moved = await api.post<{ now: string }>('/v1/sandbox/clock/advance', { bearer: settings.secretKey }, { seconds });
    say(`${moved.now}  (+${seconds} s)`);
  });

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof ApiError || error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
