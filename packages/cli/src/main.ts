/**
 * `wallet-sandbox <command>`: drives a Wallet Sandbox over its HTTP api —
 * create a sandbox, seed demo data, run a customer's journey, trigger
 * events, run fixtures, forward events to a local endpoint, tail events,
 * verify a webhook signature, move the clock, roll and revoke keys. `--help` on any command says
 * more. Each command's module is imported when it runs, so `--help` stays
 * quick.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import ms from 'ms';
import { DEFAULT_TOLERANCE_SECONDS } from '../../../libs/webhooks/src/signature.js';
import type { Connection } from './api.js';
import type { GlobalOptions } from './settings.js';

function count(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number');
  return Number(value);
}

function yenAmount(value: string): number {
  const amount = count(value);
  if (amount < 1) throw new InvalidArgumentError('must be at least ¥1');
  return amount;
}

/** `90` (seconds), `90s`, `15m`, `2h`, `3d`, `1w`: whole seconds, at least one. */
function durationSeconds(value: string): number {
  const parsed = /^\d+$/.test(value) ? Number(value) * 1000 : (ms(value as ms.StringValue) as number | undefined);
  const seconds = parsed === undefined ? NaN : parsed / 1000;
  if (!Number.isSafeInteger(seconds) || seconds < 1) throw new InvalidArgumentError('must be a duration like 90, 90s, 15m, 2h or 3d');
  return seconds;
}

const program = new Command()
  .name('wallet-sandbox')
  .description('Drive a Wallet Sandbox over its HTTP api.')
  .option('--url <url>', 'api base URL (default: WALLET_SANDBOX_URL, PUBLIC_URL of .env, http://localhost:3000)')
  .option('--secret-key <key>', "sandbox secret key (default: WALLET_SANDBOX_SECRET_KEY, the current or the demo sandbox's)")
  .option('--publishable-key <key>', "publishable key (default: WALLET_SANDBOX_PUBLISHABLE_KEY, the current or the demo sandbox's)")
  .option('--admin-token <token>', 'platform admin token (default: ADMIN_TOKEN of the environment or .env)')
  .showHelpAfterError();

async function connect(command: Command): Promise<Connection> {
  const [{ Connection }, { Settings }] = await Promise.all([import('./api.js'), import('./settings.js')]);
  return new Connection(new Settings(command.optsWithGlobals<GlobalOptions>()));
}

const json = (): Option => new Option('--json', 'print JSON for scripts');

const sandbox = program.command('sandbox').description('Sandboxes');
sandbox
  .command('create')
  .description('Create a sandbox (admin token); its keys are shown once')
  .option('--name <name>', 'its name', 'cli')
  .addOption(new Option('--profile <profile>', 'security profile').choices(['hardened', 'legacy-2019']).default('hardened'))
  .option('--use', 'make it the current sandbox of later commands (.wallet-sandbox/cli.json)')
  .addOption(json())
  .action(async (options, command: Command) => (await import('./commands/sandbox.js')).createSandbox(await connect(command), options));

program
  .command('seed')
  .description('Seed demo data: customers with funded wallets, and stores with register keys')
  .option('--users <n>', 'customers to register (a hardened sandbox takes 20 an hour from one address)', count, 5)
  .option('--stores <n>', 'stores to open', count, 2)
  .option('--balance <yen>', "yen in each customer's wallet", count, 10_000)
  .addOption(json())
  .action(async (options, command: Command) => (await import('./commands/seed.js')).seedCommand(await connect(command), options));

program
  .command('journey')
  .description(
    "Run a customer's whole journey, printing each step: register, SMS code, top-up, payment code, capture, refund, reconciliation",
  )
  .option('--topup <yen>', 'the card top-up', yenAmount, 10_000)
  .option('--amount <yen>', 'the purchase at the store', yenAmount, 3_000)
  .option('--refund <yen>', 'what the store refunds of it', yenAmount, 1_000)
  .addOption(json())
  .action(async (options, command: Command) => (await import('./commands/journey.js')).journey(await connect(command), options));

program
  .command('trigger')
  .description('Make what an event needs through the api, and print the objects made and the event')
  .argument('[event]', 'the event type, e.g. payment.captured')
  .option('--list', 'list the event types it can trigger')
  .option('--end-service', "agree that refund_claim.paid abolishes this sandbox's service")
  .addOption(json())
  .action(async (event: string | undefined, options, command: Command) => {
    const { listTriggers, trigger } = await import('./commands/trigger.js');
    if (options.list || !event) return listTriggers(options.json);
    await trigger(await connect(command), event, options);
  });

program
  .command('fixtures')
  .description('Run a JSON file of api calls in order; strings may refer to earlier answers: ${name:body.walletId}')
  .argument('<file>', 'the fixture file, e.g. packages/cli/fixtures/shop.json')
  .addOption(json())
  .action(async (file: string, options, command: Command) =>
    (await import('./commands/fixtures.js')).runFixtures(await connect(command), file, options),
  );

program
  .command('listen')
  .description("Forward the sandbox's events to a local URL as signed webhook deliveries, until Ctrl-C")
  .requiredOption('--forward-to <url>', 'where to POST each event, e.g. http://localhost:4242/webhooks')
  .option('--events <types>', 'only these event types, comma-separated (payment.captured,topup.*)')
  .addOption(json())
  .action(async (options, command: Command) => (await import('./commands/listen.js')).listen(await connect(command), options));

const events = program.command('events').description('The event log');
events
  .command('tail')
  .description('Print events as they happen, until Ctrl-C')
  .option('--type <type>', 'only this event type')
  .option('--last <n>', 'first print the last n events (at most 100)', count, 0)
  .option('--interval <ms>', 'how often to look', count, 1_000)
  .addOption(new Option('--json', 'one JSON event per line'))
  .action(async (options, command: Command) => (await import('./commands/events.js')).tail(await connect(command), options));

const webhooks = program.command('webhooks').description('Webhooks');
webhooks
  .command('verify')
  .description("Check a delivery's Wallet-Signature against the raw body saved in a file")
  .argument('<file>', 'the request body, byte for byte')
  .requiredOption('--signature <header>', 'the Wallet-Signature header: t=…,v1=…')
  .option('--secret <whsec>', "the endpoint's signing secret (default: WALLET_SANDBOX_WEBHOOK_SECRET)")
  .option('--tolerance <seconds>', 'how old the signature may be', count, DEFAULT_TOLERANCE_SECONDS)
  .addOption(json())
  .action(async (file: string, options) => (await import('./commands/webhooks.js')).verifyDelivery(file, options));

const keys = program.command('keys').description("The sandbox's secret and publishable keys");
keys
  .command('list', { isDefault: true })
  .description('The keys that still work, newest first')
  .addOption(json())
  .action(async (options, command: Command) => (await import('./commands/keys.js')).listKeys(await connect(command), options));
keys
  .command('roll')
  .description('Replace a key with a new one of its kind (shown once); the old one stops at once or after --expire-in')
  .argument('<keyId>', 'key_… from `keys`')
  .option('--expire-in <duration>', 'let the old key work this long (at most 1w): 90s, 15m, 2h, 3d', durationSeconds)
  .addOption(json())
  .action(async (keyId: string, options, command: Command) =>
    (await import('./commands/keys.js')).rollKey(await connect(command), keyId, options),
  );
keys
  .command('revoke')
  .description('Stop a key now')
  .argument('<keyId>', 'key_… from `keys`')
  .addOption(json())
  .action(async (keyId: string, options, command: Command) =>
    (await import('./commands/keys.js')).revokeKey(await connect(command), keyId, options),
  );

const clock = program.command('clock').description("The sandbox's clock");
clock
  .command('show', { isDefault: true })
  .description('Print sandbox time')
  .addOption(json())
  .action(async (options, command: Command) => (await import('./commands/clock.js')).showClock(await connect(command), options));
clock
  .command('advance')
  .description('Move sandbox time forward: due expiries, retries and schedules run at once')
  .argument('<duration>', 'seconds, or 90s, 15m, 2h, 3d, 1w', durationSeconds)
  .addOption(json())
  .action(async (seconds: number, options, command: Command) =>
    (await import('./commands/clock.js')).advanceClock(await connect(command), seconds, options),
  );

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
