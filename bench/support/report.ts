import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Unit = 'ops/s' | 'ms' | 's' | 'MB' | 'count';

/** A target on a metric's ratio or value. */
export interface GoalSpec {
  on: 'ratio' | 'value';
  op: '>=' | '<=' | '=';
  target: number;
  /** A broken requirement (a correctness check) fails the run; a missed speed goal is reported but does not. */
  required: boolean;
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

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  quick: boolean;
  ok: boolean;
  failures: string[];
  machine: { loadAverageAtStart: number; cpus: number; cpuModel: string; node: string; platform: string; postgres: string };
  scenarios: ScenarioResult[];
  reconciliation?: unknown;
}

function meets(actual: number, spec: GoalSpec): boolean {
  if (spec.op === '>=') return actual >= spec.target;
  if (spec.op === '<=') return actual <= spec.target;
  return actual === spec.target;
}

/** A figure against its baseline; the ratio is value / baseline. */
export function metric(name: string, unit: Unit, value: number, baseline: number | null, goal?: GoalSpec): Metric {
  const ratio = baseline !== null && baseline > 0 ? value / baseline : null;
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

/** The results as one aligned text table. */
export function renderTable(results: ScenarioResult[]): string {
  const header = ['scenario', 'metric', 'value', 'baseline', 'ratio', 'goal'];
  const rows = results.flatMap((r) =>
    r.metrics.map((m) => [
      r.scenario,
      m.metric,
      format(m.value, m.unit),
      format(m.baseline, m.unit),
      m.ratio === null ? '—' : `${m.ratio.toFixed(2)}×`,
      goalText(m.goal),
    ]),
  );
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i].length)));
  const line = (row: string[]): string =>
    row
      .map((cell, i) => (i >= 2 && i <= 4 ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
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
