import { performance } from 'node:perf_hooks';
import { Queue, Worker } from 'bullmq';
import { type Environment, jobOptions, newId, queueBackendOf } from '#core';
// Loads the fraud module's queue into the catalog: the round trip enqueues its screening job as the relay would.
import '#fraud';

const QUEUE = 'bench-round-trip';
/** A job that is not seen completed within this long counts as failed (the loop goes on). */
const PATIENCE_MS = 30_000;

/** One round trip: when the job was added and when the worker's processor returned, in ms of this process's performance.now() (the worker runs here too). */
export interface RoundTrip {
  addedAtMs: number;
  workerDoneAtMs: number;
}

interface Waiter {
  addedAtMs: number;
  resolve: (trip: RoundTrip) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * A bare BullMQ producer → worker → producer round trip in this process, on
 * the run's queue backend and namespace: Queue.add with the options the outbox relay
 * gives a top-up's first job, a Worker whose processor only returns its
 * clock, and the producer learning of the completion from the Worker's
 * `completed` event, which it emits once the backend has recorded it.
 *
 * Not from QueueEvents: on the PostgreSQL backend it reads the event table
 * past a cursor of event ids, and when jobs finish in concurrent transactions
 * a later id can commit first, so the cursor passes an earlier one for good
 * (about one completion in ten went unseen with 50 in flight). The Worker's
 * event measures the same thing on both backends.
 */
export class QueueRoundTrip {
  private readonly waiting = new Map<string, Waiter>();

  private constructor(
    private readonly queue: Queue,
    private readonly worker: Worker,
  ) {
    worker.on('completed', (job, returnvalue) =>
      this.settle(job.id, (w) => w.resolve({ addedAtMs: w.addedAtMs, workerDoneAtMs: Number(returnvalue) })),
    );
    worker.on('failed', (job, error) => this.settle(job?.id, (w) => w.reject(new Error(`job failed: ${error.message}`))));
  }

  /** `concurrency` is the worker's, as WORKER_CONCURRENCY is each product queue's. */
  static async start(env: Environment, concurrency: number): Promise<QueueRoundTrip> {
    const { options, factory } = queueBackendOf(env, QUEUE);
    // Typed as BullMQ types its default (Redis) classes; the calls used are the backend-neutral ones.
    const queue = new Queue(QUEUE, options, factory) as unknown as Queue;
    const worker = new Worker(QUEUE, async () => performance.now(), { ...options, concurrency }, factory) as unknown as Worker;
    await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);
    return new QueueRoundTrip(queue, worker);
  }

  /** Adds one job shaped like a `topup.requested` event job and resolves when the worker reports it completed. */
  run(): Promise<RoundTrip> {
    const jobId = newId('evt');
    const addedAtMs = performance.now();
    const done = new Promise<RoundTrip>((resolve, reject) => {
      const timer = setTimeout(
        () => this.settle(jobId, (w) => w.reject(new Error(`not completed within ${PATIENCE_MS / 1000} s`))),
        PATIENCE_MS,
      );
      this.waiting.set(jobId, { addedAtMs, resolve, reject, timer });
    });
    const data = {
      eventId: jobId,
      sandboxId: newId('sbx'),
      type: 'topup.requested',
      data: {
        topupId: newId('top'),
        walletId: newId('wal'),
        userId: newId('usr'),
        channel: 'card',
        amount: 1_000,
        cardId: newId('crd'),
        storeId: null,
      },
      requestId: newId('req'),
      occurredAt: new Date().toISOString(),
    };
    this.queue
      .add('fraud.screen-topup', data, jobOptions('fraud.screen-topup', { jobId }))
      .catch((error: unknown) => this.settle(jobId, (w) => w.reject(error instanceof Error ? error : new Error(String(error)))));
    return done;
  }

  async close(): Promise<void> {
    await this.worker.close();
    await this.queue.close();
  }

  private settle(jobId: string | undefined, finish: (waiter: Waiter) => void): void {
    if (jobId === undefined) return;
    const waiter = this.waiting.get(jobId);
    if (!waiter) return;
    this.waiting.delete(jobId);
    clearTimeout(waiter.timer);
    finish(waiter);
  }
}
