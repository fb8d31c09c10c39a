import { cpus } from 'node:os';
import { type CpuName, type CpuUse, cpuPerOperation, cpuShare } from './cpu.js';

/**
 * What stops a goal, in the run's own figures: each scenario states it next to
 * its speed goals, and the table prints it under the rows whose goal was missed.
 */

const NAMES: Record<CpuName, string> = { api: 'api', worker: 'worker', postgres: 'PostgreSQL', runner: 'runner', machine: 'machine' };
const PARTS: CpuName[] = ['api', 'worker', 'postgres', 'runner'];

const ms = (value: number | null): string => (value === null ? '?' : value.toFixed(2));

/** "api 1.05, worker 0.71, PostgreSQL 2.23, runner 0.27" for the parts measured. */
export function cpuParts(perOp: Record<CpuName, number | null>, names: Partial<Record<CpuName, string>> = {}): string {
  return PARTS.filter((part) => perOp[part] !== null)
    .map((part) => `${names[part] ?? NAMES[part]} ${ms(perOp[part])}`)
    .join(', ');
}

/** How busy the machine was over a stretch, as "196 % of 200 %". */
export function machineBusy(use: CpuUse): string {
  return `${cpuShare(use).machine ?? '?'} % of ${cpus().length * 100} %`;
}

/** One side of a comparison bound by CPU: its use over the stretch measured and the operations it completed. */
export interface CpuSide {
  name: string;
  cpu: CpuUse;
  ops: number;
  /** Names for the processes where a side's differ (the bare service in the api's place). */
  names?: Partial<Record<CpuName, string>>;
}

/**
 * On a machine whose cores are all busy, throughput goes as the inverse of
 * the machine's CPU per operation: the ratio two sides can reach at equal CPU
 * is the baseline's CPU per operation over the subject's, whatever the
 * latencies. Names what the subject spends beyond the baseline, by process,
 * and how busy the api was: a process runs on one core, so with cores to
 * spare its event loop is the limit.
 */
export function cpuRatioBound(unit: string, subject: CpuSide, baseline: CpuSide): string {
  const a = cpuPerOperation(subject.cpu, subject.ops);
  const b = cpuPerOperation(baseline.cpu, baseline.ops);
  const ceiling = a.machine !== null && b.machine !== null && a.machine > 0 ? `${(b.machine / a.machine).toFixed(2)}×` : '?';
  const extra = PARTS.filter((part) => a[part] !== null && (a[part] as number) > (b[part] ?? 0) + 0.005)
    .map((part) => `${NAMES[part]} +${ms((a[part] as number) - (b[part] ?? 0))}`)
    .join(', ');
  return (
    `CPU: the machine was ${machineBusy(subject.cpu)} busy and the api ${cpuShare(subject.cpu).api ?? '?'} % of one core ` +
    `(one event loop to a process); ${ms(a.machine)} ms of CPU per ${unit} (${cpuParts(a, subject.names)}) against ${ms(b.machine)} ms for ` +
    `${baseline.name} (${cpuParts(b, baseline.names)}), a ceiling of ${ceiling} at equal CPU. ` +
    `Beyond the baseline, in ms per ${unit}: ${extra || 'nothing'}`
  );
}

/** A latency goal at half rate that the baseline, doing less, misses too: the machine's scheduling, not the path. */
export function halfRateBound(baselineP99Ms: number, baselineName: string, subjectCpu: CpuUse): string {
  return (
    `the machine: ${baselineName} at its own half rate has a p99 of ${baselineP99Ms.toFixed(1)} ms, and the machine was ` +
    `${machineBusy(subjectCpu)} busy at the api's half rate, so the tail is the processes waiting for a core`
  );
}

/** A process's memory as a scenario started and at its peak: what earlier scenarios left, and what this one's load added. */
export function memoryBound(process: 'api' | 'worker', startMb: number | null, peakMb: number | null): string {
  const mb = (value: number | null): string => (value === null ? '?' : value.toFixed(0));
  const added = startMb === null || peakMb === null ? '?' : mb(peakMb - startMb);
  return (
    `memory: the ${process}'s RSS was ${mb(startMb)} MB as the scenario started (what it loads, and the heap earlier ` +
    `scenarios grew, which V8 seldom gives back) and its load added ${added} MB (V8's young generation and the garbage ` +
    `between collections)`
  );
}
