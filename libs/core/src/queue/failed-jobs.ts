import { Injectable } from '@nestjs/common';
import { Database } from '../database/database.js';

/** A job that failed for good, as operators read it in `failed_jobs`. */
export interface FailedJob {
  queue: string;
  name: string;
  jobId: string;
  /** The sandbox the job worked for; null for jobs of no one sandbox (the periodic sweeps). */
  sandboxId: string | null;
  payload: unknown;
  error: string;
  attempts: number;
  /** Why the job's final-failure handler failed too, so nobody acted on the failure; null when it did or there is none. */
  onFailureError: string | null;
}

/** How long a failure stays in failed_jobs: its payload is a sandbox's data, kept only as long as someone may look into it. */
export const FAILED_JOBS_KEPT_DAYS = 30;

/** The record of jobs that failed for good, in PostgreSQL beside the state they failed to change. */
@Injectable()
export class FailedJobs {
  constructor(private readonly db: Database) {}

  async record(job: FailedJob): Promise<void> {
    await this.db.rows(
      `INSERT INTO failed_jobs (queue, name, job_id, sandbox_id, payload, error, attempts, on_failure_error)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [job.queue, job.name, job.jobId, job.sandboxId, JSON.stringify(job.payload ?? null), job.error, job.attempts, job.onFailureError],
    );
  }

  /** Deletes up to `batch` records older than FAILED_JOBS_KEPT_DAYS; answers how many it deleted. */
  async purgeExpired(batch = 10_000): Promise<number> {
    const rows = await this.db.rows(
      `DELETE FROM failed_jobs WHERE id = ANY(ARRAY(
         SELECT id FROM failed_jobs WHERE failed_at < now() - make_interval(days => $1) LIMIT $2)) RETURNING 1`,
      [FAILED_JOBS_KEPT_DAYS, batch],
    );
    return rows.length;
  }

  /** How many jobs failed for good in the last 24 hours. */
  async countLastDay(): Promise<number> {
    const [row] = await this.db.rows<{ n: string }>(`SELECT count(*) AS n FROM failed_jobs WHERE failed_at > now() - interval '1 day'`);
    return Number(row.n);
  }
}
