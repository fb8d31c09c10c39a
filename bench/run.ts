/**
 * `npm run bench [-- <scenario>… ] [--quick] [--refund-wallets N] [--backends redis,postgres]`:
 * the benchmark runner. For each queue backend in turn it runs the built api
 * and worker against a database and queues of their own, measures each
 * scenario against a baseline taken in the same run, checks the ledger
 * reconciles and removes everything it created before the next backend
 * starts. It prints one table (and with both backends, postgres against
 * redis) and writes bench/results/*.json.
 */
import 'reflect-metadata';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Environment, QUEUE_BACKENDS, type QueueBackend, Secrets } from '#core';
import { captureScenario } from './scenarios/capture.js';
import { codeIssueScenario, paymentRoundScenario, walletReadScenario } from './scenarios/customer-side.js';
import { fundHttpScenario } from './scenarios/fund-http.js';
import { hotStoreCaptureScenario } from './scenarios/hot-store-capture.js';
import { hotStoreScenario } from './scenarios/hot-store.js';
import { REFUND_WALLETS, refundCampaignScenario } from './scenarios/refund-campaign.js';
import { type BenchContext, POOL_SIZE, type Scenario, WORKER_CONCURRENCY } from './scenarios/scenario.js';
import { topupScenario } from './scenarios/topup.js';
import { ConnectionWatch } from './support/connections.js';
import { type CpuSample, databaseBackendsCpu, machineCpuSeconds, groupCpuSeconds } from './support/cpu.js';
import { ApiClient, type Reconciliation, type Sandbox } from './support/api.js';
import { PrivateSandbox, configuredQueueBackend } from '../tools/support/private-sandbox.js';
import { say } from '../tools/support/progress.js';
import {
  type BackendRun,
  type BenchReport,
  type ScenarioResult,
  compareBackends,
  failuresOf,
  renderBounds,
  renderComparison,
  renderTable,
  writeReport,
} from './support/report.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RESULTS_DIR = join(ROOT, 'bench', 'results');
/** In this order, whatever order they are named in; the refund campaign, the longest, last. */
const SCENARIOS: Scenario[] = [
  fundHttpScenario,
  hotStoreScenario,
  captureScenario,
  hotStoreCaptureScenario,
  codeIssueScenario,
  walletReadScenario,
  paymentRoundScenario,
  topupScenario,
  refundCampaignScenario,
];
const USAGE = `usage: npm run bench -- [<scenario>…] [--quick] [--refund-wallets N] [--backends <backend>[,<backend>]] [--api-processes N]

  <scenario>…            only these (${SCENARIOS.map((s) => s.name).join(', ')}); by default every one
  --quick                every measurement shortened: a smoke run
  --refund-wallets N     wallets the refund campaign pays (default ${REFUND_WALLETS.full.toLocaleString('en-US')}, ${REFUND_WALLETS.quick.toLocaleString('en-US')} with --quick)
  --backends redis,postgres
                         run the scenarios on each queue backend in turn, in the order named, each on a
                         sandbox of its own, and compare postgres against redis; redis needs REDIS_URL
                         (or REDIS_CLUSTER_NODES).
                         By default one backend, as your settings choose: QUEUE_BACKEND, else redis when
                         REDIS_URL or REDIS_CLUSTER_NODES is set, else postgres (environment, then .env)
  --api-processes N      the api as N processes behind its port (API_PROCESSES; default 1): its CPU is
                         theirs added up, its memory the largest one's

  e.g. npm run bench -- capture topup refund-campaign --backends redis,postgres`;

interface Options {
  quick: boolean;
  scenarios: Scenario[];
  refundWallets: number | null;
  /** In the order to run them; null: the one the developer's settings choose. */
  backends: QueueBackend[] | null;
  apiProcesses: number;
}

/** Takes `option` and the value after it out of `args`; undefined when it is not there. */
function takeValue(args: string[], option: string): string | undefined {
  const at = args.indexOf(option);
  if (at < 0) return undefined;
  const [, value] = args.splice(at, 2);
  if (value === undefined || value.startsWith('-')) throw new Error(`${option} needs a value\n${USAGE}`);
  return value;
}

function parseBackends(value: string): QueueBackend[] {
  const names = value.split(',');
  const unknown = names.filter((name) => !(QUEUE_BACKENDS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `unknown queue backend ${unknown.map((name) => `'${name}'`).join(', ')}; the backends are: ${QUEUE_BACKENDS.join(', ')}`,
    );
  }
  if (new Set(names).size < names.length) throw new Error(`--backends names a backend twice: ${value}`);
  return names as QueueBackend[];
}

/** Null for --help. */
function parseArgs(argv: string[]): Options | null {
  const args = [...argv];
  if (args.includes('--help') || args.includes('-h')) return null;
  const wallets = takeValue(args, '--refund-wallets');
  const refundWallets = wallets === undefined ? null : Number(wallets);
  if (refundWallets !== null && (!Number.isInteger(refundWallets) || refundWallets < 1_000)) {
    throw new Error(`--refund-wallets takes a whole number ≥ 1,000\n${USAGE}`);
  }
  const backends = takeValue(args, '--backends');
  const processes = takeValue(args, '--api-processes');
  const apiProcesses = processes === undefined ? 1 : Number(processes);
  if (!Number.isInteger(apiProcesses) || apiProcesses < 1 || apiProcesses > 64) {
    throw new Error(`--api-processes takes a whole number from 1 to 64\n${USAGE}`);
  }
  const flags = args.filter((arg) => arg.startsWith('-'));
  const unknownFlag = flags.find((flag) => flag !== '--quick');
  if (unknownFlag) throw new Error(`unknown option ${unknownFlag}\n${USAGE}`);
  const names = args.filter((arg) => !arg.startsWith('-'));
  const unknown = names.filter((name) => !SCENARIOS.some((s) => s.name === name));
  if (unknown.length > 0) {
    throw new Error(`unknown scenario ${unknown.join(', ')}; the scenarios are: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  }
  return {
    quick: flags.includes('--quick'),
    scenarios: names.length === 0 ? SCENARIOS : SCENARIOS.filter((s) => names.includes(s.name)),
    refundWallets,
    backends: backends === undefined ? null : parseBackends(backends),
    apiProcesses,
  };
}

/** Undo steps, run last-in first-out exactly once: at the end, on failure, or on Ctrl-C. */
class Cleanup {
  private readonly steps: Array<{ label: string; undo: () => Promise<unknown> }> = [];
  private done?: Promise<void>;

  /** Cleaning up has begun. */
  get interrupted(): boolean {
    return this.done !== undefined;
  }

  add(label: string, undo: () => Promise<unknown>): void {
    // Once cleaning up has begun (Ctrl-C), nothing new may start: it would be left behind.
    if (this.done) throw new Error('interrupted');
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
function serviceSettings(apiProcesses: number): Record<string, string> {
  return {
    LOG_LEVEL: 'warn',
    API_PROCESSES: String(apiProcesses),
    WORKER_PROCESSES: '1',
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
      api: groupCpuSeconds(api.pid),
      worker: groupCpuSeconds(worker.pid),
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

function machine(loadAtStart: number, postgres: string): BenchReport['machine'] {
  return {
    loadAverageAtStart: loadAtStart,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: process.platform,
    postgres,
  };
}

const round = (load: number): number => Math.round(load * 100) / 100;

/** The scenarios, in order, on a started sandbox, each result kept as it comes; then the ledger's reconciliation. */
async function runScenarios(services: PrivateSandbox, options: Options, own: Cleanup, results: ScenarioResult[]): Promise<Reconciliation> {
  const env = services.env as Environment;
  const api = new ApiClient(services.baseUrl);
  const sandbox = await api.post<Sandbox>('/v1/sandboxes', services.adminToken, { name: 'bench' });
  const pool = new pg.Pool({ connectionString: services.databaseUrl, max: POOL_SIZE, application_name: 'wallet-sandbox-bench' });
  own.add('close the pool', () => pool.end());
  const context: BenchContext = {
    api,
    sandbox,
    pool,
    queues: env,
    quick: options.quick,
    adminToken: services.adminToken,
    secrets: new Secrets(env),
    apiPid: services.processes[0].pid,
    workerPid: services.processes[1].pid,
    refundWallets: options.refundWallets,
    cpu: () => cpuSample(services),
    settle: () => settle(pool, services),
  };
  for (const scenario of options.scenarios) {
    say(`\n▸ ${scenario.name} (queues on ${services.queueBackend})`);
    results.push(await scenario.run(context));
    services.assertRunning();
  }
  say('');
  await context.settle();
  return reconcile(api, sandbox);
}

/**
 * The scenarios on one sandbox of their own, queues on its backend. A run
 * that stops on an error keeps what it measured and fails. Everything it
 * started is removed before it returns, so it does not weigh on the next
 * backend's figures.
 */
async function benchOn(services: PrivateSandbox, options: Options, cleanup: Cleanup): Promise<{ run: BackendRun; postgres: string }> {
  const startedAt = new Date().toISOString();
  // Another busy process on the machine skews every figure; the report keeps the load to tell.
  const loadAtStart = loadavg()[0];
  const own = new Cleanup();
  cleanup.add(`remove the sandbox on ${services.queueBackend}`, () => own.run());
  const results: ScenarioResult[] = [];
  let reconciliation: Reconciliation | null = null;
  let stopped: string | null = null;
  let postgres = '';
  let connections: ConnectionWatch | undefined;
  try {
    own.add('remove the sandbox, its database and queues', () => services.stop());
    say(`\n■ queues on ${services.queueBackend} (load average ${loadAtStart.toFixed(2)})`);
    await services.start((what) => say(`starting: ${what}`));
    connections = new ConnectionWatch(services.pool);
    own.add('stop counting connections', async () => connections?.stop());
    postgres = await services.serverVersion();
    say(`api ready at ${services.baseUrl}; worker running; queues on ${services.env?.queueBackend()}`);
    reconciliation = await runScenarios(services, options, own, results);
  } catch (error) {
    if (cleanup.interrupted) throw error;
    stopped = error instanceof Error ? error.message : String(error);
    say(`the run on ${services.queueBackend} stopped: ${stopped}`);
  } finally {
    say(`removing the sandbox on ${services.queueBackend}`);
    await own.run();
  }
  const databaseConnections = connections?.stop() ?? null;
  if (databaseConnections) {
    say(
      `at most ${databaseConnections.peak} connections to the bench database (the server allows ${databaseConnections.serverMax} in all)`,
    );
  }
  const failures = [
    ...failuresOf(results),
    ...(stopped === null ? [] : [`the run stopped: ${stopped}`]),
    ...(reconciliation === null || reconciliation.ok ? [] : ['reconciliation: the ledger does not reconcile']),
  ];
  const run: BackendRun = {
    queueBackend: services.queueBackend,
    startedAt,
    finishedAt: new Date().toISOString(),
    loadAverage: { atStart: round(loadAtStart), atEnd: round(loadavg()[0]) },
    databaseConnections,
    failures,
    scenarios: results,
    reconciliation,
  };
  return { run, postgres };
}

const minutes = (ms: number): string => `${Math.floor(ms / 60_000)} min ${Math.floor((ms % 60_000) / 1000)} s`;

async function bench(options: Options, cleanup: Cleanup): Promise<number> {
  const startedAt = new Date();
  const loadAtStart = loadavg()[0];
  const backends = options.backends ?? [configuredQueueBackend()];
  // Made before anything starts, so a backend the settings cannot run (redis without REDIS_URL or REDIS_CLUSTER_NODES) is refused at once.
  const sandboxes = backends.map(
    (queueBackend) => new PrivateSandbox({ name: `bench_${queueBackend}`, queueBackend, settings: serviceSettings(options.apiProcesses) }),
  );
  say(
    `Wallet Sandbox benchmark: ${options.scenarios.map((s) => s.name).join(', ')}${options.quick ? ' (quick)' : ''}, ` +
      `queues on ${backends.join(', then ')}${options.apiProcesses > 1 ? `, ${options.apiProcesses} api processes` : ''}`,
  );
  const runs: BackendRun[] = [];
  let postgres = '';
  for (const services of sandboxes) {
    const done = await benchOn(services, options, cleanup);
    runs.push(done.run);
    postgres ||= done.postgres;
  }

  const failures = runs.flatMap((run) => run.failures.map((failure) => `${run.queueBackend}: ${failure}`));
  const comparison = compareBackends(runs);
  const report: BenchReport = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    quick: options.quick,
    apiProcesses: options.apiProcesses,
    ok: failures.length === 0,
    failures,
    machine: machine(round(loadAtStart), postgres),
    backends: runs,
    comparison,
  };
  process.stdout.write(`\n${renderTable(runs)}\n\n`);
  const bounds = renderBounds(runs);
  if (bounds) process.stdout.write(`${bounds}\n\n`);
  if (comparison) {
    const peaks = runs.map((run) => `${run.queueBackend} ${run.databaseConnections?.peak ?? '—'}`);
    process.stdout.write(
      `Queues on PostgreSQL against Redis (ratio: postgres ÷ redis), same run:\n\n${renderComparison(comparison)}\n\n` +
        `Connections to the bench database at most: ${peaks.join(', ')}\n\n`,
    );
  }
  const loads = runs.map((run) => `${run.queueBackend} ${run.loadAverage.atStart.toFixed(2)} → ${run.loadAverage.atEnd.toFixed(2)}`);
  say(`took ${minutes(Date.now() - startedAt.getTime())}; load average ${loads.join(', ')}`);
  say(`results: ${writeReport(RESULTS_DIR, report)} (and latest.json)`);
  for (const failure of failures) say(`FAILED ${failure}`);
  if (failures.some((failure) => failure.includes('too many clients'))) {
    say(
      'PostgreSQL ran out of connections: compare the peak above with its max_connections. Queues on PostgreSQL take ' +
        'many more than on Redis; raise max_connections, or run less beside the bench.',
    );
  }
  return failures.length === 0 ? 0 : 1;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (options === null) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
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
