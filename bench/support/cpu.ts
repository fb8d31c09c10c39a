import { readFileSync } from 'node:fs';

export type CpuName = 'api' | 'worker' | 'runner' | 'machine';

/** CPU seconds used so far by each, read at `atMs`. */
export interface CpuSample {
  atMs: number;
  seconds: Record<CpuName, number | null>;
}

/** CPU seconds used over a stretch of `wallMs`; stretches add up. */
export interface CpuUse {
  wallMs: number;
  seconds: Record<CpuName, number | null>;
}

// /proc counts in clock ticks, 100 a second on Linux.
const TICKS_PER_SECOND = 100;

/** User + system CPU of one process; null where there is no /proc. */
export function processCpuSeconds(pid: number | undefined): number | null {
  try {
    // utime and stime are the 12th and 13th fields after the parenthesised command name.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Busy CPU of the whole machine (every core, PostgreSQL included); null where there is no /proc. */
export function machineCpuSeconds(): number | null {
  try {
    const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    return (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

const NAMES: CpuName[] = ['api', 'worker', 'runner', 'machine'];

function zip(a: CpuUse['seconds'], b: CpuUse['seconds'], f: (x: number, y: number) => number): CpuUse['seconds'] {
  const out = {} as CpuUse['seconds'];
  for (const name of NAMES) {
    const [x, y] = [a[name], b[name]];
    out[name] = x === null || y === null ? null : f(x, y);
  }
  return out;
}

export function cpuBetween(before: CpuSample, after: CpuSample): CpuUse {
  return { wallMs: after.atMs - before.atMs, seconds: zip(after.seconds, before.seconds, (x, y) => x - y) };
}

export function addCpu(a: CpuUse, b: CpuUse): CpuUse {
  return { wallMs: a.wallMs + b.wallMs, seconds: zip(a.seconds, b.seconds, (x, y) => x + y) };
}

/** Percent of one core each used (the machine's ceiling is 100 × cores): on a small machine, who was busy. */
export function cpuShare(use: CpuUse): Record<CpuName, number | null> {
  const out = {} as Record<CpuName, number | null>;
  for (const name of NAMES) {
    const seconds = use.seconds[name];
    out[name] = seconds === null ? null : Math.round((seconds / (use.wallMs / 1000)) * 100);
  }
  return out;
}

export function describeCpu(use: CpuUse): string {
  const share = cpuShare(use);
  return NAMES.map((name) => `${name} ${share[name] ?? '?'}%`).join(', ');
}
