import { Injectable } from '@nestjs/common';
import type { Queryable } from '#core';
import type { NoticeDates } from './notice-text.js';

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

/** Where the notice's fan-out to every customer stands. */
export interface NoticeFanout {
  id: string;
  title: string;
  body: string;
  /** The last customer reached, in id order. */
  after: string | null;
  done: boolean;
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

/** The abolition notice of each sandbox (one at most) and its fan-out. */
@Injectable()
export class NoticesRepository {
  async find(q: Queryable, sandboxId: string): Promise<Notice | null> {
    const [row] = await q.rows<NoticeRow>(`SELECT * FROM lifecycle_notices WHERE sandbox_id = $1`, [sandboxId]);
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

  async findDates(q: Queryable, sandboxId: string): Promise<NoticeDates | null> {
    const [row] = await q.rows<{ termination_at: Date; refund_claims_from: Date; refund_claims_until: Date }>(
      `SELECT termination_at, refund_claims_from, refund_claims_until FROM lifecycle_notices WHERE sandbox_id = $1`,
      [sandboxId],
    );
    return row
      ? { terminationAt: row.termination_at, refundClaimsFrom: row.refund_claims_from, refundClaimsUntil: row.refund_claims_until }
      : null;
  }

  async insert(
    q: Queryable,
    notice: NoticeDates & { sandboxId: string; id: string; transitionId: string; publishedAt: Date; title: string; body: string },
  ): Promise<void> {
    await q.rows(
      `INSERT INTO lifecycle_notices (sandbox_id, id, transition_id, published_at, termination_at, refund_claims_from, refund_claims_until, title, body)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        notice.sandboxId,
        notice.id,
        notice.transitionId,
        notice.publishedAt,
        notice.terminationAt,
        notice.refundClaimsFrom,
        notice.refundClaimsUntil,
        notice.title,
        notice.body,
      ],
    );
  }

  /** Locks the notice for one batch of its fan-out. */
  async lockFanout(q: Queryable, sandboxId: string, id: string): Promise<NoticeFanout | null> {
    const [row] = await q.rows<NoticeRow>(`SELECT * FROM lifecycle_notices WHERE sandbox_id = $1 AND id = $2 FOR UPDATE`, [sandboxId, id]);
    return row ? { id: row.id, title: row.title, body: row.body, after: row.fanout_after, done: row.fanout_done_at !== null } : null;
  }

  /** Moves the fan-out's cursor past a batch of `sent` customers (the last of them `after`); `done` when none is left. */
  async recordFanout(
    q: Queryable,
    sandboxId: string,
    id: string,
    batch: { after: string | null; sent: number; done: boolean; at: Date },
  ): Promise<void> {
    await q.rows(
      `UPDATE lifecycle_notices SET fanout_after = COALESCE($3, fanout_after), fanout_sent = fanout_sent + $4, fanout_done_at = CASE WHEN $5 THEN $6::timestamptz END
        WHERE sandbox_id = $1 AND id = $2`,
      [sandboxId, id, batch.after, batch.sent, batch.done, batch.at],
    );
  }

  /** Deletes the sandbox's notice (sandbox reset). */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    await q.rows(`DELETE FROM lifecycle_notices WHERE sandbox_id = $1`, [sandboxId]);
  }
}
