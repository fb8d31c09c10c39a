import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Environment } from '../config/environment.js';
import { Database } from '../database/database.js';
import { Queues } from '../queue/queues.js';
import { JOB_CATALOG, jobOptions } from '../queue/job-catalog.js';
import type { QueueName } from '../queue/jobs.js';
import type { EventJob, Topic } from '../queue/topics.js';
import { OutboxSignal } from './outbox.js';
import { RouteGates } from './route-gates.js';

interface PendingRow {
  id: string;
  sandbox_id: string;
  type: Topic;
  data: EventJob['data'];
  request_id: string | null;
  occurred_at: Date;
  recorded_at: Date;
}

const BATCH = 500;
/**
 * After a wake-up under load (the last batch carried more than one event), wait this long so one batch
 * carries a burst of commits rather than one each. An event on its own goes at once: that is the latency
 * of a top-up's every hop.
 */
const GATHER_MS = 2;

/** Claims a batch for a lease; SKIP LOCKED lets several relays share the work. */
const CLAIM = `
  UPDATE outbox_events SET claimed_until = now() + make_interval(secs => $2)
   WHERE id IN (SELECT id FROM outbox_events
                 WHERE relayed_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
                 ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
   RETURNING id, sandbox_id, type, data, request_id, occurred_at, recorded_at`;

/**
 * The claim on a Citus cluster, where rows cannot be locked across shards: the
 * lease decides. A relay that lost the race finds the lease taken when the
 * update re-reads the row, and leaves it.
 */
const CLAIM_ACROSS_SHARDS = `
  UPDATE outbox_events SET claimed_until = now() + make_interval(secs => $2)
   WHERE relayed_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
     AND (sandbox_id, id) IN (SELECT sandbox_id, id FROM outbox_events
                               WHERE relayed_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
                               ORDER BY id LIMIT $1)
   RETURNING id, sandbox_id, type, data, request_id, occurred_at, recorded_at`;

/**
 * Moves committed outbox rows into the subscribers' queues. A batch is
 * claimed for a lease (SKIP LOCKED, so several workers share the work),
 * enqueued with job id = event id, then marked relayed. A relay that dies
 * before the mark leaves the claim to lapse and the rows are relayed again,
 * which the job id and the consumers' own idempotency absorb. Two short
 * statements, no transaction held open across the calls to Redis.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private running = false;
  private signalled = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(
    private readonly db: Database,
    private readonly queues: Queues,
    private readonly signal: OutboxSignal,
    private readonly env: Environment,
    private readonly gates: RouteGates,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.signal.subscribe(() => {
      this.signalled = true;
      this.wake?.();
    });
    this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops relaying after the batch in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Relays one batch; returns how many events it moved. */
  async relayBatch(limit = BATCH): Promise<number> {
    const rows = await this.db.rows<PendingRow>(this.env.DATABASE_TOPOLOGY === 'citus' ? CLAIM_ACROSS_SHARDS : CLAIM, [
      limit,
      this.env.OUTBOX_LEASE_MS / 1000,
    ]);
    if (rows.length === 0) return 0;
    await this.enqueue(rows);
    await this.markRelayed(rows.map((row) => row.id));
    return rows.length;
  }

  protected async enqueue(rows: PendingRow[]): Promise<void> {
    const byQueue = new Map<QueueName, Array<{ name: string; data: EventJob; opts: ReturnType<typeof jobOptions> }>>();
    for (const row of rows) {
      for (const job of JOB_CATALOG.routesOf(row.type)) {
        if (!(await this.gates.admits(job, row.sandbox_id, row.type, row.recorded_at))) continue;
        const queue = JOB_CATALOG.queueOf(job);
        const data: EventJob = {
          eventId: row.id,
          sandboxId: row.sandbox_id,
          type: row.type,
          data: row.data,
          requestId: row.request_id,
          occurredAt: row.occurred_at.toISOString(),
        };
        const list = byQueue.get(queue) ?? [];
        list.push({ name: job, data, opts: jobOptions(job, { jobId: row.id }) });
        byQueue.set(queue, list);
      }
    }
    await Promise.all([...byQueue].map(([queue, jobs]) => this.queues.get(queue).addBulk(jobs)));
  }

  protected async markRelayed(ids: string[]): Promise<void> {
    await this.db.rows(`UPDATE outbox_events SET relayed_at = now() WHERE id = ANY($1)`, [ids]);
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.signalled = false;
      let moved = 0;
      try {
        moved = await this.relayBatch();
        if (moved === BATCH) continue;
      } catch (error) {
        this.logger.error(`relay failed, retrying: ${String(error)}`);
      }
      // A commit signalled during the batch may not be in it: look again, after letting a burst gather.
      if (!this.signalled) await this.sleep(this.env.OUTBOX_POLL_MS);
      if (this.signalled && moved > 1) await new Promise((resolve) => setTimeout(resolve, GATHER_MS));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
