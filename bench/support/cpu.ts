import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export type CpuName = 'api' | 'worker' | 'runner' | 'postgres' | 'machine';

/** CPU seconds used so far by each, read at `atMs`. */
export interface CpuSample {
  atMs: number;
  seconds: Record<Exclude<CpuName, 'postgres'>, number | null>;
  /** Per backend pid, since backends come and go (see databaseBackendsCpu). */
  postgres: Map<number, number> | null;
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

/**
 * The processes `pid` started and still runs: those of a supervisor
 * (API_PROCESSES, WORKER_PROCESSES above one), by /proc's parent field.
 * None for a lone process, or where there is no /proc.
 */
export function childrenOf(pid: number | undefined): number[] {
  if (pid === undefined) return [];
  const children: number[] = [];
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        // The parent is the 2nd field after the parenthesised command name.
        if (Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1]) === pid) children.push(Number(entry));
      } catch {
        // ended meanwhile
      }
    }
  } catch {
    return [];
  }
  return children;
}

/** CPU of a process and of the processes it supervises: an api of several processes counts as one. */
export function groupCpuSeconds(pid: number | undefined): number | null {
  const own = processCpuSeconds(pid);
  return own === null ? null : childrenOf(pid).reduce((total, child) => total + (processCpuSeconds(child) ?? 0), own);
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

/**
 * CPU seconds so far of each PostgreSQL backend working on `database`, found
 * by its process title (`postgres: <cluster>: <user> <database> …`, and
 * autovacuum workers' `… autovacuum worker <database>`). Unlike the
 * machine's figure it leaves out other databases' work on a shared machine
 * and the cluster-wide processes (WAL writer, checkpointer). Null where
 * there is no /proc or no backend is found.
 */
export function databaseBackendsCpu(database: string): Map<number, number> | null {
  const backends = new Map<number, number>();
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let title: string;
      try {
        title = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      } catch {
        continue; // ended meanwhile
      }
      if (!title.startsWith('postgres: ') || !title.replace(/\0/g, ' ').includes(` ${database} `)) continue;
      const seconds = processCpuSeconds(Number(entry));
      if (seconds !== null) backends.set(Number(entry), seconds);
    }
  } catch {
    return null;
  }
  return backends.size === 0 ? null : backends;
}

/**
 * What the backends used between two samples: a backend that started meanwhile
 * counts from zero; one that ended meanwhile (pools close idle connections)
 * is lost, so this is a lower bound.
 */
function backendsBetween(before: Map<number, number> | null, after: Map<number, number> | null): number | null {
  if (after === null) return null;
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before?.get(pid) ?? 0);
  return total;
}

const NAMES: CpuName[] = ['api', 'worker', 'runner', 'postgres', 'machine'];

function zip(a: CpuUse['seconds'], b: CpuUse['seconds'], f: (x: number, y: number) => number): CpuUse['seconds'] {
  const out = {} as CpuUse['seconds'];
  for (const name of NAMES) {
    const [x, y] = [a[name], b[name]];
    out[name] = x === null || y === null ? null : f(x, y);
  }
  return out;
}

export function cpuBetween(before: CpuSample, after: CpuSample): CpuUse {
  const seconds = zip({ ...after.seconds, postgres: null }, { ...before.seconds, postgres: null }, (x, y) => x - y);
  return { wallMs: after.atMs - before.atMs, seconds: { ...seconds, postgres: backendsBetween(before.postgres, after.postgres) } };
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

/** CPU milliseconds each used per operation over a stretch that completed `ops` operations. */
export function cpuPerOperation(use: CpuUse, ops: number): Record<CpuName, number | null> {
  const out = {} as Record<CpuName, number | null>;
  for (const name of NAMES) {
    const seconds = use.seconds[name];
    out[name] = seconds === null || ops === 0 ? null : Math.round((seconds * 1000 * 1000) / ops) / 1000;
  }
  return out;
}

/**
 * The server a PostgreSQL backend belongs to, named by its postmaster (the
 * backend's parent): the port in its data directory's postmaster.pid, else
 * the data directory (`-D`) on its command line. Null where neither is readable.
 */
function serverOf(backendPid: number, known: Map<number, string | null>): string | null {
  let postmaster: number;
  try {
    postmaster = Number(readFileSync(`/proc/${backendPid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
  } catch {
    return null;
  }
  if (known.has(postmaster)) return known.get(postmaster) ?? null;
  let server: string | null = null;
  try {
    const args = readFileSync(`/proc/${postmaster}/cmdline`, 'utf8').split('\0');
    const dataDir = args[args.indexOf('-D') + 1];
    if (args.includes('-D') && dataDir) {
      try {
        // postmaster.pid: pid, data directory, start time, port, …
        server = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[3]?.trim() || dataDir;
      } catch {
        server = dataDir;
      }
    }
  } catch {
    // ended meanwhile
  }
  known.set(postmaster, server);
  return server;
}

/**
 * CPU seconds of the backends working on `database`, per server, over a
 * stretch: on a Citus cluster whose nodes share this machine, what the
 * coordinator and each worker spent (each node's database has the same
 * name). Read every second, so a backend that ends meanwhile is counted up
 * to its last reading rather than lost.
 */
export class ServerCpuWatch {
  private readonly postmasters = new Map<number, string | null>();
  /** Per backend: its server, its CPU when first seen (zero if it started after the watch did) and when last seen. */
  private readonly backends = new Map<number, { server: string; first: number; last: number }>();
  /** Per server, what backends whose pid a new backend took over had used. */
  private readonly ended = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  private started = false;

  constructor(private readonly database: string) {
    this.read();
    this.started = true;
    this.timer = setInterval(() => this.read(), 1_000).unref();
  }

  /** CPU seconds per server (port, or data directory) since the watch began; the watch stops. */
  stop(): Map<string, number> {
    clearInterval(this.timer);
    this.read();
    const seconds = new Map(this.ended);
    for (const { server, first, last } of this.backends.values()) seconds.set(server, (seconds.get(server) ?? 0) + last - first);
    return seconds;
  }

  private read(): void {
    for (const [pid, cpu] of databaseBackendsCpu(this.database) ?? []) {
      const seen = this.backends.get(pid);
      if (seen && cpu >= seen.last) {
        seen.last = cpu;
        continue;
      }
      if (seen) this.ended.set(seen.server, (this.ended.get(seen.server) ?? 0) + seen.last - seen.first);
      const server = serverOf(pid, this.postmasters);
      if (server !== null) this.backends.set(pid, { server, first: this.started ? 0 : cpu, last: cpu });
    }
  }
}
