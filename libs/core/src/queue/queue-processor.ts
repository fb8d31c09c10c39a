import { WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { type Job, UnrecoverableError, type WorkerOptions } from 'bullmq';
import type { SandboxContext } from '../auth/principal.js';
import { SandboxLookup } from '../database/sandbox-lookup.js';
import { RequestContext } from '../http/request-context.js';
import { FailedJobs } from './failed-jobs.js';
import { JOB_CATALOG, type JobCatalog } from './job-catalog.js';
import type { JobName, JobOfQueue, QueueJobs, QueueName } from './jobs.js';

/** What a handler gets beside the payload: the BullMQ job and, for a job of one sandbox, that sandbox. */
export type JobContext<P> = { job: Job<P> } & (P extends { sandboxId: string } ? { sandbox: SandboxContext } : unknown);

export type JobHandlers<Q extends QueueName> = {
  [J in JobOfQueue<Q>]: (data: QueueJobs[Q][J], context: JobContext<QueueJobs[Q][J]>) => Promise<void>;
};

/**
 * What a job does once it has failed for good, beside being recorded: end
 * what it was deciding (fail a top-up closed, say) rather than leave it
 * waiting for ever. It must be idempotent: it runs again if the job does.
 */
export type FinalFailureHandlers<Q extends QueueName> = {
  [J in JobOfQueue<Q>]?: (data: QueueJobs[Q][J], error: unknown, context: JobContext<QueueJobs[Q][J]>) => Promise<void>;
};

/**
 * Times a job may lose its worker mid-run (a crash, kill -9, a lock not
 * renewed) and still run again: on its next stall it has failed for good.
 */
export const STALLS_ALLOWED = 1;

/**
 * Every processor's worker options (`@Processor(queue, WORKER_OPTIONS)`).
 * BullMQ would fail a job that stalled too often by itself, out of the
 * processor's sight: no record, no final-failure handler, a top-up pending
 * for ever. So it never does, and the processor fails it (see process).
 */
// The PostgreSQL backend passes the count as a 32-bit integer.
export const WORKER_OPTIONS: Partial<WorkerOptions> = { maxStalledCount: 2 ** 31 - 1 };

/** This try is the job's last: BullMQ will not run it again if it throws. */
export const isLastAttempt = (job: Job): boolean => job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

const isUnrecoverable = (error: unknown): boolean =>
  error instanceof UnrecoverableError || (error as { name?: unknown } | null)?.name === 'UnrecoverableError';

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The one processor of a queue: it switches on the job name to a handler
 * that calls a use case. Handlers throw on failure so BullMQ retries them;
 * a job that fails for good (its last attempt failed, or it stalled more
 * than STALLS_ALLOWED times) is logged, recorded in `failed_jobs` and
 * handed to its final-failure handler, if it has one.
 */
export abstract class QueueProcessor<Q extends QueueName> extends WorkerHost implements OnApplicationBootstrap {
  abstract readonly queue: Q;
  protected abstract readonly handlers: JobHandlers<Q>;
  protected readonly onFinalFailure: FinalFailureHandlers<Q> = {};
  protected readonly logger = new Logger(this.constructor.name);
  // Properties, so that no processor's constructor has to pass them on.
  @Inject(FailedJobs) private readonly failedJobs: FailedJobs;
  @Inject(SandboxLookup) private readonly sandboxes: SandboxLookup;
  private readonly catalog: Pick<JobCatalog, 'currentName'> = JOB_CATALOG;

  /** Job names this processor can run; checked against the catalog at startup. */
  handledJobs(): JobName[] {
    return Object.keys(this.handlers) as JobName[];
  }

  setConcurrency(concurrency: number): void {
    this.worker.concurrency = concurrency;
  }

  onApplicationBootstrap(): void {
    if (this.worker.opts.maxStalledCount !== WORKER_OPTIONS.maxStalledCount) {
      throw new Error(`${this.constructor.name} must be declared @Processor('${this.queue}', WORKER_OPTIONS): see WORKER_OPTIONS`);
    }
    // The queue's store failed under the worker (it retries by itself); logged, not an unhandled 'error' event.
    this.worker.on('error', (error) => this.logger.error(`queue ${this.queue}: ${error.message}`));
    this.worker.on('failed', (job, error) =>
      this.logger.warn(`job ${job?.name} ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`),
    );
  }

  async process(job: Job): Promise<void> {
    const requestId = (job.data as { requestId?: string | null }).requestId ?? `job:${job.id}`;
    await RequestContext.run({ requestId }, async () => {
      try {
        if (job.stalledCounter > STALLS_ALLOWED) {
          throw new UnrecoverableError(`its worker stopped while running it, ${job.stalledCounter} times: it is not run again`);
        }
        const handler = (this.handlers as Record<string, ((data: unknown, context: object) => Promise<void>) | undefined>)[
          this.catalog.currentName(this.queue, job.name)
        ];
        if (!handler) throw new UnrecoverableError(`queue ${this.queue} has no handler for job ${job.name}`);
        await this.withContext(job, (context) => handler(job.data, context));
      } catch (error) {
        // Decided as BullMQ decides whether to retry, and before it does: the handler runs while the job still holds its lock.
        if (isLastAttempt(job) || isUnrecoverable(error)) await this.failedForGood(job, error);
        throw error;
      }
    });
  }

  /** Runs `work` with the sandbox, or not at all once it is gone: nothing of it is left to act on. */
  protected async inSandbox(sandboxId: string, work: (sandbox: SandboxContext) => Promise<unknown>): Promise<void> {
    const sandbox = await this.sandboxes.find(sandboxId);
    if (!sandbox) return this.logger.debug(`sandbox ${sandboxId} is gone: its job has nothing to do`);
    await work(sandbox);
  }

  /** A job's context: its sandbox too, for a job of one sandbox (see inSandbox). */
  private async withContext(job: Job, work: (context: object) => Promise<void>): Promise<void> {
    const sandboxId = (job.data as { sandboxId?: unknown } | null)?.sandboxId;
    if (typeof sandboxId !== 'string') return work({ job });
    await this.inSandbox(sandboxId, (sandbox) => work({ job, sandbox }));
  }

  /** Never throws: the job's own error is what BullMQ must record. */
  private async failedForGood(job: Job, error: unknown): Promise<void> {
    const attempts = job.attemptsMade + 1;
    this.logger.error(`job ${job.name} ${job.id} of queue ${this.queue} failed for good after ${attempts} attempt(s): ${messageOf(error)}`);
    let onFailureError: string | null = null;
    const onFailure = (
      this.onFinalFailure as Record<string, ((data: unknown, error: unknown, context: object) => Promise<void>) | undefined>
    )[this.catalog.currentName(this.queue, job.name)];
    if (onFailure) {
      try {
        await this.withContext(job, (context) => onFailure(job.data, error, context));
      } catch (failure) {
        onFailureError = messageOf(failure);
        this.logger.error(`job ${job.name} ${job.id}: its final-failure handler failed too, nothing acted on it: ${onFailureError}`);
      }
    }
    const sandboxId = (job.data as { sandboxId?: unknown } | null)?.sandboxId;
    try {
      await this.failedJobs.record({
        queue: this.queue,
        name: job.name,
        jobId: String(job.id),
        sandboxId: typeof sandboxId === 'string' ? sandboxId : null,
        payload: job.data,
        error: messageOf(error),
        attempts,
        onFailureError,
      });
    } catch (failure) {
      this.logger.error(`job ${job.name} ${job.id}: could not record its failure in failed_jobs: ${messageOf(failure)}`);
    }
  }
}
