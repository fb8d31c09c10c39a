import { readFileSync, writeFileSync } from 'node:fs';
import { clearInterval, setInterval } from 'node:timers';
import { childrenOf } from './cpu.js';

/** Resident memory of a process, MB: now (VmRSS) and its peak (VmHWM). */
export interface MemoryStatus {
  rssMb: number;
  peakMb: number;
}

const KB_PER_MB = 1024;

/** VmRSS and VmHWM from /proc/<pid>/status; null where there is no /proc or no such process. */
export function memoryStatus(pid: number | undefined): MemoryStatus | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string): number => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? Number.NaN);
    const [rss, peak] = [kb('VmRSS'), kb('VmHWM')];
    return Number.isNaN(rss) || Number.isNaN(peak) ? null : { rssMb: rss / KB_PER_MB, peakMb: peak / KB_PER_MB };
  } catch {
    return null;
  }
}

/**
 * A supervisor's processes are watched in its place (it holds none of the
 * work): each figure is the largest of theirs, since the goals are per
 * process.
 */
function watched(pid: number | undefined): Array<number | undefined> {
  const children = childrenOf(pid);
  return children.length > 0 ? children : [pid];
}

/** memoryStatus of a process, or of the largest process a supervisor runs. */
export function groupMemoryStatus(pid: number | undefined): MemoryStatus | null {
  const each = watched(pid)
    .map(memoryStatus)
    .filter((status): status is MemoryStatus => status !== null);
  return each.length === 0
    ? null
    : { rssMb: Math.max(...each.map((status) => status.rssMb)), peakMb: Math.max(...each.map((status) => status.peakMb)) };
}

/** Sets the process's VmHWM back to its VmRSS (Linux ≥ 4.0: `5` to /proc/<pid>/clear_refs); false where that is not allowed. */
function resetPeak(pid: number | undefined): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** What a process's memory did over a stretch, MB. */
export interface MemoryUse {
  /** RSS when the stretch began and when it ended. */
  startMb: number | null;
  endMb: number | null;
  /** The kernel's peak over the stretch (VmHWM, reset at its start); where it could not be reset, the highest sample. */
  peakMb: number | null;
  /** The highest RSS sampled, every `everyMs`: a cross-check of the peak. */
  sampledPeakMb: number | null;
  /** True when VmHWM was reset at the start, so the peak is the kernel's for this stretch alone. */
  peakIsKernels: boolean;
}

const round = (mb: number | null): number | null => (mb === null ? null : Math.round(mb * 10) / 10);

/**
 * Watches one process's resident memory (or the largest of a supervisor's) over a stretch: resets its peak
 * (VmHWM) at the start and samples VmRSS every `everyMs`, so a process that
 * grew before (earlier scenarios) does not count here.
 */
export class MemoryWatch {
  private readonly startMb: number | null;
  private sampledPeakMb: number | null = null;
  private readonly timer: NodeJS.Timeout;
  private readonly peakIsKernels: boolean;

  constructor(
    private readonly pid: number | undefined,
    everyMs = 100,
  ) {
    this.peakIsKernels = watched(pid).every(resetPeak);
    this.startMb = groupMemoryStatus(pid)?.rssMb ?? null;
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  stop(): MemoryUse {
    clearInterval(this.timer);
    this.sample();
    const now = groupMemoryStatus(this.pid);
    return {
      startMb: round(this.startMb),
      endMb: round(now?.rssMb ?? null),
      peakMb: round(this.peakIsKernels ? (now?.peakMb ?? null) : this.sampledPeakMb),
      sampledPeakMb: round(this.sampledPeakMb),
      peakIsKernels: this.peakIsKernels,
    };
  }

  private sample(): void {
    const rss = groupMemoryStatus(this.pid)?.rssMb;
    if (rss !== undefined) this.sampledPeakMb = Math.max(this.sampledPeakMb ?? 0, rss);
  }
}
