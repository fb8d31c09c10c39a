import { Injectable } from '@nestjs/common';
import { Database, JobName, Queues, type SandboxContext } from '#core';
import { UsersRepository } from '#identity';
import { Messages } from '#sandbox';

/** Customers per batch of the notice's fan-out. */
export const NOTICE_BATCH = 1_000;

export interface Notice {
  id: string;
  title: string;
  body: string;
  publishedAt: string;
  terminationAt: string;
  refundClaimsFrom: string;
  refundClaimsUntil: string;
  /** Customers the notice has reached so far, and whether it has reached them all. */
  delivered: number;
  deliveredToAll: boolean;
}

interface NoticeRow {
  id: string;
  title: string;
  body: string;
  published_at: Date;
  termination_at: Date;
  refund_claims_from: Date;
  refund_claims_until: Date;
  fanout_after: string | null;
  fanout_sent: number;
  fanout_done_at: Date | null;
}

/**
 * The abolition notice reaches every customer's messages once it takes
 * effect: a batch of customers per job, each batch one transaction that
 * also moves the cursor, so a crashed batch is redone and none is sent twice.
 */
@Injectable()
export class Notices {
  constructor(
    private readonly db: Database,
    private readonly users: UsersRepository,
    private readonly messages: Messages,
    private readonly queues: Queues,
  ) {}

  async find(sandboxId: string): Promise<Notice | null> {
    const [row] = await this.db.rows<NoticeRow>(`SELECT * FROM lifecycle_notices WHERE sandbox_id = $1`, [sandboxId]);
    return row
      ? {
          id: row.id,
          title: row.title,
          body: row.body,
          publishedAt: row.published_at.toISOString(),
          terminationAt: row.termination_at.toISOString(),
          refundClaimsFrom: row.refund_claims_from.toISOString(),
          refundClaimsUntil: row.refund_claims_until.toISOString(),
          delivered: row.fanout_sent,
          deliveredToAll: row.fanout_done_at !== null,
        }
      : null;
  }

  async startFanout(sandboxId: string): Promise<void> {
    const notice = await this.find(sandboxId);
    if (notice) await this.queues.add(JobName.LifecycleNoticeBatch, { sandboxId, noticeId: notice.id, batch: 0 }, ['notice', notice.id, 0]);
  }

  async batch(sandbox: SandboxContext, job: { noticeId: string; batch: number }): Promise<void> {
    const more = await this.db.transaction(async (tx) => {
      const [notice] = await tx.rows<NoticeRow>(`SELECT * FROM lifecycle_notices WHERE sandbox_id = $1 AND id = $2 FOR UPDATE`, [
        sandbox.id,
        job.noticeId,
      ]);
      if (!notice || notice.fanout_done_at) return false;
      const members = await this.users.page(tx, sandbox.id, notice.fanout_after, NOTICE_BATCH);
      const now = sandbox.time.now();
      await this.messages.sendMany(
        tx,
        members.map((m) => ({
          sandboxId: sandbox.id,
          channel: 'email' as const,
          to: m.email,
          subject: notice.title,
          body: notice.body,
          at: now,
        })),
      );
      const done = members.length < NOTICE_BATCH;
      await tx.rows(
        `UPDATE lifecycle_notices SET fanout_after = COALESCE($3, fanout_after), fanout_sent = fanout_sent + $4, fanout_done_at = CASE WHEN $5 THEN $6::timestamptz END
          WHERE sandbox_id = $1 AND id = $2`,
        [sandbox.id, notice.id, members.at(-1)?.id ?? null, members.length, done, now],
      );
      return !done;
    });
    if (more) {
      const next = job.batch + 1;
      await this.queues.add(JobName.LifecycleNoticeBatch, { sandboxId: sandbox.id, noticeId: job.noticeId, batch: next }, [
        'notice',
        job.noticeId,
        next,
      ]);
    }
  }
}
