import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseTopology, QueueBackend } from '#core';
import type { ConnectionUse } from './connections.js';

export type Unit = 'ops/s' | 'ms' | 's' | 'MB' | 'count';

/** A target on a metric's ratio or value. */
export interface GoalSpec {
  on: 'ratio' | 'value';
  op: '>=' | '<=' | '=';
  target: number;
  /** A broken requirement (a correctness check) fails the run; a missed speed goal is reported but does not. */
  required: boolean;
  /** What stops the goal, in the run's own figures: printed under the table when the goal is missed. */
  bound?: string;
}

export interface Goal extends GoalSpec {
  met: boolean;
}

export interface Metric {
  metric: string;
  unit: Unit;
  value: number;
  /** The same figure of the scenario's baseline, measured in the same run. */
  baseline: number | null;
  /** value / baseline. */
  ratio: number | null;
  goal?: Goal;
}

export interface ScenarioResult {
  scenario: string;
  /** What is measured, and what the baseline is. */
  measures: string;
  baseline: string;
  metrics: Metric[];
  /** Anything that makes the figures meaningless (failed operations): fails the run. */
  problems: string[];
  /** Raw figures behind the metrics (counts, durations, status codes). */
  details: Record<string, unknown>;
}

/** One database server's part of a scenario on a Citus cluster. */
export interface NodeCpu {
  /** `coordinator`, `worker 1`, …, or the server's port where it is not one of the cluster's. */
  node: string;
  /** Its port (from its postmaster.pid), or its data directory. */
  server: string;
  /** CPU seconds of its backends for the bench database over the scenario. */
  seconds: number;
  /** Of all the nodes' seconds, percent. */
  share: number;
}

/** CPU of each node of the cluster over one whole scenario (its baselines, warm-ups and setup included). */
export interface ScenarioNodes {
  scenario: string;
  wallSeconds: number;
  nodes: NodeCpu[];
  /**
   * Statements the coordinator sent to the workers over the scenario
   * (citus_stat_counters): each a round trip at least, one per worker
   * connection for a multi-shard one; transaction control is not counted.
   * Null where the counters could not be read.
   */
  statementsToWorkers: { singleShard: number; multiShard: number } | null;
}

/** The scenarios run on one queue backend and database topology, on a sandbox of their own (database, queues, api and worker). */
export interface BackendRun {
  queueBackend: QueueBackend;
  /** `citus`: the database was a Citus coordinator with its workers. */
  topology: DatabaseTopology;
  /** On a Citus cluster, each scenario's CPU per node; null on one node. */
  nodes: ScenarioNodes[] | null;
  startedAt: string;
  finishedAt: string;
  /** The one-minute load average as this backend's run started and as it ended: another busy process skews its figures. */
  loadAverage: { atStart: number; atEnd: number };
  /** Connections to the bench database at most over the run (sampled), against the server's max_connections; null if it did not start. */
  databaseConnections: ConnectionUse | null;
  /** Broken requirements and problems of its scenarios, and its ledger not reconciling. */
  failures: string[];
  scenarios: ScenarioResult[];
  /** GET /v1/reports/reconciliation of the bench sandbox once its scenarios are done; null if the run stopped before. */
  reconciliation: unknown;
}

/**
 * One figure of a scenario on one setup against the same on another, in the
 * same run (queues on PostgreSQL against Redis, a Citus cluster against one
 * node); and the same of the scenario's own baseline, measured beside it on
 * each. Values are keyed by setup (see setupOf).
 */
export interface ComparisonRow {
  scenario: string;
  metric: string;
  unit: Unit;
  value: Record<string, number>;
  /** subject / reference. */
  ratio: number | null;
  baseline: Record<string, number | null>;
  baselineRatio: number | null;
}

export interface RunComparison {
  /** The setups compared, as setupOf names them: the ratio is subject ÷ reference. */
  subject: string;
  reference: string;
  rows: ComparisonRow[];
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  quick: boolean;
  /** API_PROCESSES of the api measured (--api-processes). */
  apiProcesses: number;
  ok: boolean;
  failures: string[];
  machine: { loadAverageAtStart: number; cpus: number; cpuModel: string; node: string; platform: string; postgres: string };
  /** In the order run. */
  backends: BackendRun[];
  /** Every figure but the counts of each scenario run on both setups; null unless two ran. */
  comparison: RunComparison | null;
}

function meets(actual: number, spec: GoalSpec): boolean {
  if (spec.op === '>=') return actual >= spec.target;
  if (spec.op === '<=') return actual <= spec.target;
  return actual === spec.target;
}

const ratioOf = (value: number | null, of: number | null): number | null => (value !== null && of !== null && of > 0 ? value / of : null);

/** A figure against its baseline; the ratio is value / baseline. */
export function metric(name: string, unit: Unit, value: number, baseline: number | null, goal?: GoalSpec): Metric {
  const ratio = ratioOf(value, baseline);
  const judged = goal === undefined ? undefined : { ...goal, met: meets(goal.on === 'ratio' ? (ratio ?? Number.NaN) : value, goal) };
  return { metric: name, unit, value, baseline, ratio, goal: judged };
}

/** Broken requirements and problems of every scenario, named for the run's verdict. */
export function failuresOf(results: ScenarioResult[]): string[] {
  return results.flatMap((r) => [
    ...r.metrics.filter((m) => m.goal?.required && !m.goal.met).map((m) => `${r.scenario}: ${m.metric} is ${format(m.value, m.unit)}`),
    ...r.problems.map((problem) => `${r.scenario}: ${problem}`),
  ]);
}

export function format(value: number | null, unit: Unit): string {
  if (value === null || Number.isNaN(value)) return '—';
  if (unit === 'ms') return `${value.toFixed(value < 10 ? 2 : 1)} ms`;
  if (unit === 's' || unit === 'MB') return `${value.toFixed(1)} ${unit}`;
  const rounded = Math.round(value).toLocaleString('en-US');
  return unit === 'ops/s' ? `${rounded}/s` : rounded;
}

function goalText(goal: Goal | undefined): string {
  if (!goal) return '';
  const op = { '>=': '≥', '<=': '≤', '=': '=' }[goal.op];
  const subject = goal.on === 'ratio' ? `ratio ${op} ${goal.target}` : `${op} ${goal.target}`;
  return `${subject} ${goal.met ? 'met' : goal.required ? 'FAILED' : 'missed'}`;
}

/** Rows as aligned text under a header and a rule; `numeric` columns are right-aligned. */
function alignedTable(header: string[], rows: string[][], numeric: (column: number) => boolean): string {
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i].length)));
  const line = (row: string[]): string =>
    row
      .map((cell, i) => (numeric(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const formatRatio = (ratio: number | null): string => (ratio === null ? '—' : `${ratio.toFixed(2)}×`);

/** What a run's first column says: its queue backend, and `· citus` on a Citus cluster. */
export function setupOf(run: Pick<BackendRun, 'queueBackend' | 'topology'>): string {
  return run.topology === 'citus' ? `${run.queueBackend} · citus` : run.queueBackend;
}

/** Every run's results as one table, each figure against its scenario's baseline. */
export function renderTable(runs: BackendRun[]): string {
  const header = ['setup', 'scenario', 'metric', 'value', 'baseline', 'ratio', 'goal'];
  const rows = runs.flatMap((run) =>
    run.scenarios.flatMap((r) =>
      r.metrics.map((m) => [
        setupOf(run),
        r.scenario,
        m.metric,
        format(m.value, m.unit),
        format(m.baseline, m.unit),
        formatRatio(m.ratio),
        goalText(m.goal),
      ]),
    ),
  );
  return alignedTable(header, rows, (i) => i >= 3 && i <= 5);
}

/** Each missed goal with what stopped it, measured in the same run: the lines under the table. */
export function renderBounds(runs: BackendRun[]): string {
  const lines = runs.flatMap((run) =>
    run.scenarios.flatMap((r) =>
      r.metrics
        .filter((m) => m.goal?.bound !== undefined && !m.goal.met)
        .map((m) => `${setupOf(run)} ${r.scenario}, ${m.metric} (${goalText(m.goal)}): ${m.goal?.bound}`),
    ),
  );
  return lines.length === 0 ? '' : ['What bounds each missed goal, measured in this run:', ...lines.map((line) => `- ${line}`)].join('\n');
}

/**
 * Each figure (the counts aside, which are checks) of every scenario run on
 * both setups, `subject` against `reference`, and the same of its baseline.
 */
export function compareRuns(subject: BackendRun, reference: BackendRun): RunComparison {
  const [of, against] = [setupOf(subject), setupOf(reference)];
  const rows = subject.scenarios.flatMap((onSubject) => {
    const onReference = reference.scenarios.find((r) => r.scenario === onSubject.scenario);
    return onSubject.metrics.flatMap((m) => {
      const there = onReference?.metrics.find((r) => r.metric === m.metric);
      if (!there || m.unit === 'count') return [];
      return [
        {
          scenario: onSubject.scenario,
          metric: m.metric,
          unit: m.unit,
          value: { [against]: there.value, [of]: m.value },
          ratio: ratioOf(m.value, there.value),
          baseline: { [against]: there.baseline, [of]: m.baseline },
          baselineRatio: ratioOf(m.baseline, there.baseline),
        },
      ];
    });
  });
  return { subject: of, reference: against, rows };
}

/** The comparison as one table: each figure on the reference and on the subject and their ratio, then the same of the baseline. */
export function renderComparison({ subject, reference, rows }: RunComparison): string {
  const header = ['scenario', 'metric', reference, subject, 'ratio', `baseline: ${reference}`, subject, 'ratio'];
  const cells = rows.map((c) => [
    c.scenario,
    c.metric,
    format(c.value[reference], c.unit),
    format(c.value[subject], c.unit),
    formatRatio(c.ratio),
    format(c.baseline[reference], c.unit),
    format(c.baseline[subject], c.unit),
    formatRatio(c.baselineRatio),
  ]);
  return alignedTable(header, cells, (i) => i >= 2);
}

/** Each scenario's CPU per node of the cluster: seconds over the scenario, the share of the nodes' total, and the statements sent to workers. */
export function renderNodeCpu(scenarios: ScenarioNodes[]): string {
  const header = ['scenario', 'node', 'server', 'CPU', 'share', '% of a core', 'statements to workers'];
  const rows = scenarios.flatMap((s) =>
    s.nodes.map((n, i) => [
      i === 0 ? s.scenario : '',
      n.node,
      n.server,
      `${n.seconds.toFixed(1)} s`,
      `${n.share} %`,
      `${Math.round((n.seconds / s.wallSeconds) * 100)} %`,
      i === 0 && s.statementsToWorkers
        ? `${(s.statementsToWorkers.singleShard + s.statementsToWorkers.multiShard).toLocaleString('en-US')} (multi-shard ${s.statementsToWorkers.multiShard.toLocaleString('en-US')})`
        : '',
    ]),
  );
  return alignedTable(header, rows, (i) => i >= 3 && i <= 5);
}

/** Writes `<dir>/<timestamp>.json` and `<dir>/latest.json`; returns the first path. */
export function writeReport(dir: string, report: BenchReport): string {
  mkdirSync(dir, { recursive: true });
  // ISO 8601 with ':' replaced, so the name is valid on every file system.
  const path = join(dir, `${report.startedAt.replace(/:/g, '-')}.json`);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(path, json);
  writeFileSync(join(dir, 'latest.json'), json);
  return path;
}
