import { Injectable } from '@nestjs/common';
import { Database, Queues, type SandboxContext } from '#core';
import { UsersRepository } from '#identity';
import { Messages } from '#sandbox';
import { NoticesRepository } from '../notices.repository.js';

/** Customers per batch of the notice's fan-out. */
export const NOTICE_BATCH = 1_000;

/**
 * The abolition notice reaches every customer's messages once it takes
 * effect: a batch of customers per job, each batch one transaction that
 * also moves the cursor, so a crashed batch is redone and none is sent twice.
 */
@Injectable()
export class FanOutNotice {
  constructor(
    private readonly db: Database,
    private readonly notices: NoticesRepository,
    private readonly users: UsersRepository,
    private readonly messages: Messages,
    private readonly queues: Queues,
  ) {}

  async start(sandboxId: string): Promise<void> {
    const notice = await this.notices.find(this.db, sandboxId);
    if (notice) await this.queues.add('lifecycle.notice-batch', { sandboxId, noticeId: notice.id, batch: 0 }, ['notice', notice.id, 0]);
  }

  async batch(sandbox: SandboxContext, job: { noticeId: string; batch: number }): Promise<void> {
    const more = await this.db.transaction(async (tx) => {
      const notice = await this.notices.lockFanout(tx, sandbox.id, job.noticeId);
      if (!notice || notice.done) return false;
      const members = await this.users.page(tx, sandbox.id, notice.after, NOTICE_BATCH);
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
      await this.notices.recordFanout(tx, sandbox.id, notice.id, {
        after: members.at(-1)?.id ?? null,
        sent: members.length,
        done,
        at: now,
      });
      return !done;
    });
    if (more) {
      const next = job.batch + 1;
      await this.queues.add('lifecycle.notice-batch', { sandboxId: sandbox.id, noticeId: job.noticeId, batch: next }, [
        'notice',
        job.noticeId,
        next,
      ]);
    }
  }
}
