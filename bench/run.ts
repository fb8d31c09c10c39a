/**
 * `npm run bench [-- <scenario>… ] [--quick] [--refund-wallets N]`: the benchmark runner. Runs
 * the built api and worker against a database and queues of its own,
 * measures each scenario against a baseline taken in the same run, checks
 * the ledger reconciles, prints one table, writes bench/results/*.json and
 * removes everything it created.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Environment, Secrets } from '#core';
import { captureScenario } from './scenarios/capture.js';
import { fundHttpScenario } from './scenarios/fund-http.js';
import { hotStoreCaptureScenario } from './scenarios/hot-store-capture.js';
import { hotStoreScenario } from './scenarios/hot-store.js';
import { refundCampaignScenario } from './scenarios/refund-campaign.js';
import { type BenchContext, POOL_SIZE, type Scenario, WORKER_CONCURRENCY } from './scenarios/scenario.js';
import { topupScenario } from './scenarios/topup.js';
import { type CpuSample, databaseBackendsCpu, machineCpuSeconds, processCpuSeconds } from './support/cpu.js';
import { ApiClient, type Reconciliation, type Sandbox } from './support/api.js';
import { PrivateSandbox } from '../tools/support/private-sandbox.js';
import { say } from '../tools/support/progress.js';
import { type BenchReport, type ScenarioResult, failuresOf, renderTable, writeReport } from './support/report.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RESULTS_DIR = join(ROOT, 'bench', 'results');
/** In this order, whatever order they are named in; the refund campaign, the longest, last. */
const SCENARIOS: Scenario[] = [
  fundHttpScenario,
  hotStoreScenario,
  captureScenario,
  hotStoreCaptureScenario,
  topupScenario,
  refundCampaignScenario,
];
const USAGE = 'usage: npm run bench -- [<scenario>…] [--quick] [--refund-wallets N]';

interface Options {
  quick: boolean;
  scenarios: Scenario[];
  refundWallets: number | null;
}

function parseArgs(argv: string[]): Options {
  const args = [...argv];
  let refundWallets: number | null = null;
  const at = args.indexOf('--refund-wallets');
  if (at >= 0) {
    const [, value] = args.splice(at, 2);
    refundWallets = Number(value);
    if (!Number.isInteger(refundWallets) || refundWallets < 1_000)
      throw new Error(`--refund-wallets takes a whole number ≥ 1,000; ${USAGE}`);
  }
  const flags = args.filter((arg) => arg.startsWith('-'));
  const unknownFlag = flags.find((flag) => flag !== '--quick');
  if (unknownFlag) throw new Error(`unknown option ${unknownFlag}; ${USAGE}`);
  const names = args.filter((arg) => !arg.startsWith('-'));
  const unknown = names.filter((name) => !SCENARIOS.some((s) => s.name === name));
  if (unknown.length > 0) {
    throw new Error(`unknown scenario ${unknown.join(', ')}; the scenarios are: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  }
  return {
    quick: flags.includes('--quick'),
    scenarios: names.length === 0 ? SCENARIOS : SCENARIOS.filter((s) => names.includes(s.name)),
    refundWallets,
  };
}

/** Undo steps, run last-in first-out exactly once: at the end, on failure, or on Ctrl-C. */
class Cleanup {
  private readonly steps: Array<{ label: string; undo: () => Promise<unknown> }> = [];
  private done?: Promise<void>;

  add(label: string, undo: () => Promise<unknown>): void {
    this.steps.push({ label, undo });
  }

  run(): Promise<void> {
    this.done ??= (async () => {
      for (const { label, undo } of this.steps.reverse()) {
        try {
          await undo();
        } catch (error) {
          say(`cleanup: ${label} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })();
    return this.done;
  }
}

/** Settings of the api and the worker: the documented defaults, pinned so a developer's .env cannot skew the figures. */
function serviceSettings(): Record<string, string> {
  return {
    // Pinned too: the runner seals what it prepares with keys derived from it, as the api does.
    JWT_SECRET: randomBytes(24).toString('hex'),
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    DB_POOL_SIZE: String(POOL_SIZE),
    WORKER_CONCURRENCY: String(WORKER_CONCURRENCY),
    OUTBOX_POLL_MS: '500',
    BODY_LIMIT_BYTES: '65536',
    PAYOUT_BATCH_SIZE: String(new Environment().PAYOUT_BATCH_SIZE),
    // Not a default: the runner is the customers' proxy. The topup scenario's customers each send their own
    // X-Forwarded-For, so the identity throttles (20 registrations per IP an hour) see them as the distinct
    // clients they stand for. Requests without the header still count as 127.0.0.1.
    TRUSTED_PROXIES: '127.0.0.1',
  };
}

/**
 * Waits (bounded) until the worker has relayed every outbox row and finished
 * the jobs they started, then refreshes statistics and flushes dirty pages.
 */
async function settle(pool: pg.Pool, services: PrivateSandbox, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    services.assertRunning();
    const { events, jobs } = await services.backlog();
    if (events === 0 && jobs === 0) break;
    if (Date.now() > deadline) {
      say(`  (${events > 0 ? `the outbox still holds ${events} unrelayed events` : `the worker still has ${jobs} jobs`}; going on)`);
      break;
    }
    await sleep(100);
  }
  await pool.query('ANALYZE');
  await pool.query('CHECKPOINT');
}

function cpuSample(services: PrivateSandbox): CpuSample {
  const [api, worker] = services.processes;
  const own = process.cpuUsage();
  return {
    atMs: performance.now(),
    seconds: {
      api: processCpuSeconds(api.pid),
      worker: processCpuSeconds(worker.pid),
      runner: (own.user + own.system) / 1e6,
      machine: machineCpuSeconds(),
    },
    postgres: databaseBackendsCpu(services.database),
  };
}

async function reconcile(api: ApiClient, sandbox: Sandbox): Promise<Reconciliation> {
  // Generous: after a large refund campaign the ledger's tables hold millions of rows of another sandbox.
  const report = await api.get<Reconciliation>('/v1/reports/reconciliation', sandbox.secretKey, {}, 120_000);
  const { totals } = report;
  say(
    `reconciliation: ok=${report.ok} — ${totals.transfers} transfers, ${totals.accounts.wallet} wallets, ` +
      `${totals.accounts.store} stores, entries sum ${totals.entriesSum}, wallet balances ¥${totals.walletBalances}`,
  );
  if (!report.ok) say(JSON.stringify(report.discrepancies, null, 2));
  return report;
}

async function machine(loadAtStart: number, services: PrivateSandbox): Promise<BenchReport['machine']> {
  return {
    loadAverageAtStart: loadAtStart,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: process.platform,
    postgres: await services.serverVersion(),
  };
}

async function bench(options: Options, cleanup: Cleanup): Promise<number> {
  const startedAt = new Date().toISOString();
  // Another busy process on the machine skews every figure; the report keeps the load to tell.
  const loadAtStart = loadavg()[0];
  say(`Wallet Sandbox benchmark: ${options.scenarios.map((s) => s.name).join(', ')}${options.quick ? ' (quick)' : ''}`);
  const services = new PrivateSandbox({ name: 'bench', settings: serviceSettings() });
  cleanup.add('remove the sandbox, its database and queues', () => services.stop());
  await services.start((what) => say(`starting: ${what}`));
  const env = services.env as Environment;
  say(`api ready at ${services.baseUrl}; worker running; queues on ${env.queueBackend()}`);
  const api = new ApiClient(services.baseUrl);
  const sandbox = await api.post<Sandbox>('/v1/sandboxes', services.adminToken, { name: 'bench' });
  const pool = new pg.Pool({ connectionString: services.databaseUrl, max: POOL_SIZE, application_name: 'wallet-sandbox-bench' });
  cleanup.add('close the pool', () => pool.end());
  const context: BenchContext = {
    api,
    sandbox,
    pool,
    queues: env,
    quick: options.quick,
    adminToken: services.adminToken,
    secrets: new Secrets(env),
    workerPid: services.processes[1].pid,
    refundWallets: options.refundWallets,
    cpu: () => cpuSample(services),
    settle: () => settle(pool, services),
  };

  const results: ScenarioResult[] = [];
  for (const scenario of options.scenarios) {
    say(`\n▸ ${scenario.name}`);
    results.push(await scenario.run(context));
    services.assertRunning();
  }
  say('');
  await context.settle();
  const reconciliation = await reconcile(api, sandbox);

  const failures = [...failuresOf(results), ...(reconciliation.ok ? [] : ['reconciliation: the ledger does not reconcile'])];
  const report: BenchReport = {
    startedAt,
    finishedAt: new Date().toISOString(),
    quick: options.quick,
    ok: failures.length === 0,
    failures,
    machine: await machine(loadAtStart, services),
    scenarios: results,
    reconciliation,
  };
  process.stdout.write(`\n${renderTable(results)}\n\n`);
  say(`results: ${writeReport(RESULTS_DIR, report)} (and latest.json)`);
  for (const failure of failures) say(`FAILED ${failure}`);
  return failures.length === 0 ? 0 : 1;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const cleanup = new Cleanup();
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      say(`\n${signal}: cleaning up`);
      void cleanup.run().finally(() => process.exit(code));
    });
  }
  try {
    process.exitCode = await bench(options, cleanup);
  } finally {
    await cleanup.run();
  }
}

main().catch((error: unknown) => {
  say(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
