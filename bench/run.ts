/**
 * `npm run bench [-- <scenario>… ] [--quick] [--refund-wallets N] [--backends redis,postgres] [--topology citus]`:
 * the benchmark runner. For each setup in turn (a queue backend, or one
 * PostgreSQL node then a Citus cluster) it runs the built api and worker
 * against a database and queues of their own, measures each scenario
 * against a baseline taken in the same run, checks the ledger reconciles
 * and removes everything it created before the next setup starts. It prints
 * one table (and with two setups, one against the other) and writes
 * bench/results/*.json.
 */
import 'reflect-metadata';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Environment, Secrets, locationOf } from '#core';
import { captureScenario } from './scenarios/capture.js';
import { codeIssueScenario, paymentRoundScenario, walletReadScenario } from './scenarios/customer-side.js';
import { fundHttpScenario } from './scenarios/fund-http.js';
import { hotStoreCaptureScenario } from './scenarios/hot-store-capture.js';
import { hotStoreScenario } from './scenarios/hot-store.js';
import { REFUND_WALLETS, refundCampaignScenario } from './scenarios/refund-campaign.js';
import { type BenchContext, POOL_SIZE, type Scenario, WORKER_CONCURRENCY } from './scenarios/scenario.js';
import { topupScenario } from './scenarios/topup.js';
import { ConnectionWatch } from './support/connections.js';
import { type CpuSample, ServerCpuWatch, databaseBackendsCpu, machineCpuSeconds, groupCpuSeconds } from './support/cpu.js';
import { type BenchOptions, TOPOLOGY_SCENARIOS, parseArgs } from './support/options.js';
import { ApiClient, type Reconciliation, type Sandbox } from './support/api.js';
import { PrivateSandbox, configuredQueueBackend } from '../tools/support/private-sandbox.js';
import { say } from '../tools/support/progress.js';
import {
  type BackendRun,
  type BenchReport,
  type RunComparison,
  type ScenarioNodes,
  type ScenarioResult,
  compareRuns,
  failuresOf,
  renderBounds,
  renderComparison,
  renderNodeCpu,
  renderTable,
  setupOf,
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
/** The Citus coordinator `--topology citus` runs on, unless CITUS_URL names another. */
const CITUS_URL = 'postgres://postgres@127.0.0.1:9700/postgres';
const USAGE = `usage: npm run bench -- [<scenario>…] [--quick] [--refund-wallets N] [--backends <backend>[,<backend>]] [--topology citus] [--api-processes N]

  <scenario>…            only these (${SCENARIOS.map((s) => s.name).join(', ')}); by default every one
  --quick                every measurement shortened: a smoke run
  --refund-wallets N     wallets the refund campaign pays (default ${REFUND_WALLETS.full.toLocaleString('en-US')}, ${REFUND_WALLETS.quick.toLocaleString('en-US')} with --quick)
  --backends redis,postgres
                         run the scenarios on each queue backend in turn, in the order named, each on a
                         sandbox of its own, and compare postgres against redis; redis needs REDIS_URL
                         (or REDIS_CLUSTER_NODES).
                         By default one backend, as your settings choose: QUEUE_BACKEND, else redis when
                         REDIS_URL or REDIS_CLUSTER_NODES is set, else postgres (environment, then .env)
  --topology citus       run the scenarios (by default ${TOPOLOGY_SCENARIOS.join(', ')}) on one PostgreSQL node
                         (DATABASE_URL), then on a Citus cluster (its coordinator at CITUS_URL, default
                         ${CITUS_URL}), each on a sandbox of its own with the queues on the same
                         backend (one, or the one --backends names), and compare citus against the single node
  --api-processes N      the api as N processes behind its port (API_PROCESSES; default 1): its CPU is
                         theirs added up, its memory the largest one's

  e.g. npm run bench -- capture topup refund-campaign --backends redis,postgres`;

type Options = Omit<BenchOptions, 'scenarios'> & { scenarios: Scenario[] };

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

/** Statements the coordinator has sent to its workers for this database so far (citus_stat_counters); null where unreadable. */
async function statementsToWorkers(pool: pg.Pool): Promise<ScenarioNodes['statementsToWorkers']> {
  try {
    const { rows } = await pool.query<{ single: string; multi: string }>(
      `SELECT query_execution_single_shard AS single, query_execution_multi_shard AS multi
         FROM citus_stat_counters WHERE name = current_database()`,
    );
    return rows.length === 0 ? null : { singleShard: Number(rows[0].single), multiShard: Number(rows[0].multi) };
  } catch {
    return null;
  }
}

/**
 * Measures each node of a Citus cluster over one scenario: its backends'
 * CPU for the bench database (the coordinator's and each worker's, whose
 * databases share the name) and the statements the coordinator sent to the
 * workers. `finish` gives the scenario's figures.
 */
async function watchNodes(services: PrivateSandbox, pool: pg.Pool): Promise<(scenario: string) => Promise<ScenarioNodes>> {
  const { rows } = await pool.query<{ port: number }>(
    `SELECT nodeport AS port FROM pg_dist_node WHERE groupid <> 0 AND noderole = 'primary' ORDER BY nodeport`,
  );
  const roles = new Map<string, string>([
    [new URL(services.databaseUrl).port || '5432', 'coordinator'],
    ...rows.map((row, i): [string, string] => [String(row.port), `worker ${i + 1}`]),
  ]);
  const startedAt = performance.now();
  const before = await statementsToWorkers(pool);
  const cpu = new ServerCpuWatch(services.database);
  return async (scenario) => {
    const seconds = cpu.stop();
    const after = await statementsToWorkers(pool);
    const total = [...seconds.values()].reduce((sum, value) => sum + value, 0);
    const order = [...roles.keys()];
    const servers = [...seconds.keys()].sort(
      (a, b) => (order.indexOf(a) + 1 || order.length + 1) - (order.indexOf(b) + 1 || order.length + 1),
    );
    return {
      scenario,
      wallSeconds: Math.round((performance.now() - startedAt) / 100) / 10,
      nodes: servers.map((server) => ({
        node: roles.get(server) ?? server,
        server,
        seconds: Math.round((seconds.get(server) ?? 0) * 100) / 100,
        share: total > 0 ? Math.round(((seconds.get(server) ?? 0) / total) * 100) : 0,
      })),
      statementsToWorkers:
        before && after ? { singleShard: after.singleShard - before.singleShard, multiShard: after.multiShard - before.multiShard } : null,
    };
  };
}

/**
 * The scenarios, in order, on a started sandbox, each result kept as it
 * comes (on a Citus cluster, with its CPU per node); then the ledger's
 * reconciliation.
 */
async function runScenarios(
  services: PrivateSandbox,
  options: Options,
  own: Cleanup,
  results: ScenarioResult[],
  nodes: ScenarioNodes[],
): Promise<Reconciliation> {
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
    say(`\n▸ ${scenario.name} (${setupOf(services)})`);
    const finish = services.topology === 'citus' ? await watchNodes(services, pool) : null;
    results.push(await scenario.run(context));
    if (finish) nodes.push(await finish(scenario.name));
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
  const setup = setupOf(services);
  cleanup.add(`remove the sandbox on ${setup}`, () => own.run());
  const results: ScenarioResult[] = [];
  const nodes: ScenarioNodes[] = [];
  let reconciliation: Reconciliation | null = null;
  let stopped: string | null = null;
  let postgres = '';
  let connections: ConnectionWatch | undefined;
  try {
    own.add('remove the sandbox, its database and queues', () => services.stop());
    say(
      `\n■ queues on ${services.queueBackend}, ${services.topology === 'citus' ? 'a Citus cluster' : 'one PostgreSQL node'} (load average ${loadAtStart.toFixed(2)})`,
    );
    await services.start((what) => say(`starting: ${what}`));
    connections = new ConnectionWatch(services.pool);
    own.add('stop counting connections', async () => connections?.stop());
    postgres = await services.serverVersion();
    say(`api ready at ${services.baseUrl}; worker running; queues on ${services.env?.queueBackend()}`);
    reconciliation = await runScenarios(services, options, own, results, nodes);
  } catch (error) {
    if (cleanup.interrupted) throw error;
    stopped = error instanceof Error ? error.message : String(error);
    say(`the run on ${setup} stopped: ${stopped}`);
  } finally {
    say(`removing the sandbox on ${setup}`);
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
    topology: services.topology,
    nodes: services.topology === 'citus' ? nodes : null,
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

/** The Citus coordinator's workers, refused with how to start a cluster when it cannot be reached or has none. */
async function citusWorkers(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url, application_name: 'wallet-sandbox-bench', connectionTimeoutMillis: 5_000 });
  const refuse = (what: string, cause?: unknown): Error =>
    new Error(
      `--topology citus: ${what}${cause instanceof Error ? ` (${cause.message})` : ''}. Start a Citus coordinator with workers ` +
        'registered (see docs/deployment.md), or name yours with CITUS_URL',
      { cause },
    );
  try {
    await client.connect();
  } catch (error) {
    throw refuse(`no Citus coordinator at ${url}`, error);
  }
  let workers: number;
  try {
    const { rows } = await client.query<{ workers: string }>(
      `SELECT count(*) AS workers FROM pg_dist_node WHERE groupid <> 0 AND noderole = 'primary' AND isactive`,
    );
    workers = Number(rows[0].workers);
  } catch (error) {
    throw refuse(`${url} is not a Citus coordinator`, error);
  } finally {
    await client.end();
  }
  if (workers === 0) throw refuse(`the Citus coordinator at ${url} has no workers`);
  return workers;
}

/** The sandboxes to run on, in order: one per queue backend, or with --topology citus one node then the cluster. */
function sandboxesOf(options: Options, citusUrl: string): PrivateSandbox[] {
  const settings = serviceSettings(options.apiProcesses);
  if (options.topology === 'citus') {
    const queueBackend = options.backends?.[0] ?? configuredQueueBackend();
    return [
      new PrivateSandbox({ name: `bench_${queueBackend}`, queueBackend, settings }),
      new PrivateSandbox({
        name: `bench_${queueBackend}_citus`,
        queueBackend,
        settings,
        server: { url: citusUrl, topology: 'citus' },
        // Counts the statements the coordinator sends to its workers (citus_stat_counters); off by default.
        databaseSettings: { 'citus.enable_stat_counters': 'on' },
      }),
    ];
  }
  return (options.backends ?? [configuredQueueBackend()]).map(
    (queueBackend) => new PrivateSandbox({ name: `bench_${queueBackend}`, queueBackend, settings }),
  );
}

/** Two setups run: the cluster against the single node, or queues on PostgreSQL against Redis. */
function comparisonOf(runs: BackendRun[]): RunComparison | null {
  const single = runs.find((run) => run.topology === 'single');
  const citus = runs.find((run) => run.topology === 'citus');
  if (single && citus) return compareRuns(citus, single);
  const redis = runs.find((run) => run.queueBackend === 'redis');
  const postgres = runs.find((run) => run.queueBackend === 'postgres');
  return redis && postgres ? compareRuns(postgres, redis) : null;
}

async function bench(options: Options, cleanup: Cleanup): Promise<number> {
  const startedAt = new Date();
  const loadAtStart = loadavg()[0];
  const citusUrl = process.env.CITUS_URL || CITUS_URL;
  // Before anything starts: a cluster that is not there is named at once, not after the single node's run.
  const workers = options.topology === 'citus' ? await citusWorkers(citusUrl) : 0;
  // Made before anything starts, so a backend the settings cannot run (redis without REDIS_URL or REDIS_CLUSTER_NODES) is refused at once.
  const sandboxes = sandboxesOf(options, citusUrl);
  say(
    `Wallet Sandbox benchmark: ${options.scenarios.map((s) => s.name).join(', ')}${options.quick ? ' (quick)' : ''}, ` +
      `on ${sandboxes.map((services) => setupOf(services)).join(', then ')}` +
      `${workers > 0 ? ` (Citus: the coordinator at ${locationOf(citusUrl)} and ${workers} workers)` : ''}` +
      `${options.apiProcesses > 1 ? `, ${options.apiProcesses} api processes` : ''}`,
  );
  const runs: BackendRun[] = [];
  let postgres = '';
  for (const services of sandboxes) {
    const done = await benchOn(services, options, cleanup);
    runs.push(done.run);
    postgres ||= done.postgres;
  }

  const failures = runs.flatMap((run) => run.failures.map((failure) => `${setupOf(run)}: ${failure}`));
  const comparison = comparisonOf(runs);
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
    const title =
      options.topology === 'citus'
        ? `Citus (coordinator + ${workers} workers) against one PostgreSQL node (ratio: citus ÷ single), same run`
        : 'Queues on PostgreSQL against Redis (ratio: postgres ÷ redis), same run';
    const peaks = runs.map((run) => `${setupOf(run)} ${run.databaseConnections?.peak ?? '—'}`);
    process.stdout.write(
      `${title}:\n\n${renderComparison(comparison)}\n\n` + `Connections to the bench database at most: ${peaks.join(', ')}\n\n`,
    );
  }
  for (const run of runs.filter((r) => r.nodes && r.nodes.length > 0)) {
    process.stdout.write(
      `CPU of each node's backends for the bench database (${setupOf(run)}), over each scenario whole — its baselines, ` +
        `warm-ups and setup included; share: of the nodes' total:\n\n${renderNodeCpu(run.nodes ?? [])}\n\n`,
    );
  }
  const loads = runs.map((run) => `${setupOf(run)} ${run.loadAverage.atStart.toFixed(2)} → ${run.loadAverage.atEnd.toFixed(2)}`);
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

/** The command line, the scenarios as objects; null for --help. */
function optionsOf(argv: string[]): Options | null {
  let parsed: BenchOptions | null;
  try {
    parsed = parseArgs(
      argv,
      SCENARIOS.map((s) => s.name),
    );
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`, { cause: error });
  }
  return parsed && { ...parsed, scenarios: SCENARIOS.filter((s) => parsed.scenarios.includes(s.name)) };
}

async function main(): Promise<void> {
  const options = optionsOf(process.argv.slice(2));
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
