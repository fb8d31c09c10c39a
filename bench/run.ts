/**
 * `npm run bench [-- <scenario>… ] [--quick] [--refund-wallets N]`: the benchmark runner. Runs
 * the built api and worker against a database and Redis prefix of its own,
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
import { runMigrations } from '../apps/migrate/src/run-migrations.js';
import { captureScenario } from './scenarios/capture.js';
import { fundHttpScenario } from './scenarios/fund-http.js';
import { hotStoreCaptureScenario } from './scenarios/hot-store-capture.js';
import { hotStoreScenario } from './scenarios/hot-store.js';
import { refundCampaignScenario } from './scenarios/refund-campaign.js';
import { type BenchContext, POOL_SIZE, type Scenario, WORKER_CONCURRENCY } from './scenarios/scenario.js';
import { topupScenario } from './scenarios/topup.js';
import { type CpuSample, databaseBackendsCpu, machineCpuSeconds, processCpuSeconds } from './support/cpu.js';
import { ApiClient, type Reconciliation, type Sandbox } from './support/api.js';
import { REDIS_URL, databaseUrl, deleteRedisKeys, dropDatabase, freePort, postgresVersion, recreateDatabase } from './support/infra.js';
import { ServiceProcess, waitUntilReady } from './support/processes.js';
import { QueueWatch } from './support/queues.js';
import { say } from './support/progress.js';
import { type BenchReport, type ScenarioResult, failuresOf, renderTable, writeReport } from './support/report.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RESULTS_DIR = join(ROOT, 'bench', 'results');
const DATABASE = 'wallet_sandbox_bench';
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

function serviceEnv(port: number, queuePrefix: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl(DATABASE),
    REDIS_URL,
    ADMIN_TOKEN: randomBytes(24).toString('hex'),
    // Pinned too (a .env could set another): the runner seals what it prepares with keys derived from it, as the api does.
    JWT_SECRET: randomBytes(24).toString('hex'),
    QUEUE_PREFIX: queuePrefix,
    LOG_LEVEL: 'warn',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    // The documented defaults, pinned so a developer's .env cannot skew the figures.
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

function assertRunning(processes: ServiceProcess[]): void {
  const dead = processes.find((p) => !p.running);
  if (dead) throw new Error(`${dead.crash ?? `${dead.name} stopped`}:\n${dead.tail()}`);
}

/**
 * Waits (bounded) until the worker has relayed every outbox row and finished
 * the jobs they started, then refreshes statistics and flushes dirty pages.
 */
async function settle(pool: pg.Pool, processes: ServiceProcess[], queues: QueueWatch, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    assertRunning(processes);
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox_events WHERE relayed_at IS NULL');
    const jobs = rows[0].n === 0 ? await queues.pending() : Number.NaN;
    if (jobs === 0) break;
    if (Date.now() > deadline) {
      say(`  (${rows[0].n > 0 ? `the outbox still holds ${rows[0].n} unrelayed events` : `the worker still has ${jobs} jobs`}; going on)`);
      break;
    }
    await sleep(100);
  }
  await pool.query('ANALYZE');
  await pool.query('CHECKPOINT');
}

async function startServices(
  cleanup: Cleanup,
): Promise<{ api: ApiClient; env: NodeJS.ProcessEnv; processes: ServiceProcess[]; queues: QueueWatch; queuePrefix: string }> {
  const queuePrefix = `wsb_bench_${process.pid}`;
  cleanup.add('delete Redis keys', async () => say(`deleted ${await deleteRedisKeys(queuePrefix)} Redis keys under ${queuePrefix}:`));
  const port = await freePort();
  const env = serviceEnv(port, queuePrefix);
  const processes = [
    ServiceProcess.start('api', ROOT, 'apps/api/src/main.js', env),
    ServiceProcess.start('worker', ROOT, 'apps/worker/src/main.js', env),
  ];
  cleanup.add('stop api and worker', async () => say((await Promise.all(processes.map((p) => p.stop()))).join('; ')));
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntilReady(baseUrl, processes);
  say(`api ready at ${baseUrl}; worker running; queue prefix ${queuePrefix}`);
  const queues = new QueueWatch(REDIS_URL, queuePrefix);
  cleanup.add('close the queue clients', () => queues.close());
  return { api: new ApiClient(baseUrl), env, processes, queues, queuePrefix };
}

function cpuSample([api, worker]: ServiceProcess[]): CpuSample {
  const own = process.cpuUsage();
  return {
    atMs: performance.now(),
    seconds: {
      api: processCpuSeconds(api.pid),
      worker: processCpuSeconds(worker.pid),
      runner: (own.user + own.system) / 1e6,
      machine: machineCpuSeconds(),
    },
    postgres: databaseBackendsCpu(DATABASE),
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

async function machine(loadAtStart: number): Promise<BenchReport['machine']> {
  return {
    loadAverageAtStart: loadAtStart,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: process.platform,
    postgres: await postgresVersion(),
  };
}

async function bench(options: Options, cleanup: Cleanup): Promise<number> {
  const startedAt = new Date().toISOString();
  // Another busy process on the machine skews every figure; the report keeps the load to tell.
  const loadAtStart = loadavg()[0];
  say(`Wallet Sandbox benchmark: ${options.scenarios.map((s) => s.name).join(', ')}${options.quick ? ' (quick)' : ''}`);
  await recreateDatabase(DATABASE);
  cleanup.add('drop the bench database', () => dropDatabase(DATABASE));
  const applied = await runMigrations(databaseUrl(DATABASE));
  say(`database ${DATABASE}: ${applied.length} migrations applied`);

  const { api, env, processes, queues, queuePrefix } = await startServices(cleanup);
  const adminToken = env.ADMIN_TOKEN as string;
  const sandbox = await api.post<Sandbox>('/v1/sandboxes', adminToken, { name: 'bench' });
  const pool = new pg.Pool({ connectionString: databaseUrl(DATABASE), max: POOL_SIZE, application_name: 'wallet-sandbox-bench' });
  cleanup.add('close the pool', () => pool.end());
  const context: BenchContext = {
    api,
    sandbox,
    pool,
    queuePrefix,
    quick: options.quick,
    adminToken,
    secrets: new Secrets({ JWT_SECRET: env.JWT_SECRET, ADMIN_TOKEN: adminToken } as Environment),
    workerPid: processes[1].pid,
    refundWallets: options.refundWallets,
    cpu: () => cpuSample(processes),
    settle: () => settle(pool, processes, queues),
  };

  const results: ScenarioResult[] = [];
  for (const scenario of options.scenarios) {
    say(`\n▸ ${scenario.name}`);
    results.push(await scenario.run(context));
    assertRunning(processes);
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
    machine: await machine(loadAtStart),
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
