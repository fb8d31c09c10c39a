import { clearInterval, setInterval } from 'node:timers';
import type pg from 'pg';

/** How many connections a run had open to its database at most, and how many the server allows in all. */
export interface ConnectionUse {
  peak: number;
  serverMax: number;
}

const EVERY_MS = 250;

/**
 * Samples the connections to one database (the api's, the worker's, their
 * queues' on the PostgreSQL backend, and the runner's) every EVERY_MS and
 * keeps the highest count. The queue backend changes it a lot, and a server
 * that runs out answers "too many clients" in the middle of a measurement.
 */
export class ConnectionWatch {
  private use: ConnectionUse = { peak: 0, serverMax: 0 };
  private readonly timer: NodeJS.Timeout;
  private sampling = false;

  constructor(private readonly pool: pg.Pool) {
    this.timer = setInterval(() => void this.sample(), EVERY_MS);
  }

  /** Stops sampling; what was seen so far. */
  stop(): ConnectionUse {
    clearInterval(this.timer);
    return this.use;
  }

  private async sample(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      const { rows } = await this.pool.query<{ n: number; max: number }>(
        `SELECT count(*)::int AS n, current_setting('max_connections')::int AS max FROM pg_stat_activity WHERE datname = current_database()`,
      );
      this.use = { peak: Math.max(this.use.peak, rows[0].n), serverMax: rows[0].max };
    } catch {
      // A sample missed (the server is busy or full) leaves the peak as it was.
    } finally {
      this.sampling = false;
    }
  }
}
