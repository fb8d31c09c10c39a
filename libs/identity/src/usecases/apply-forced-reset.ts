import { Injectable } from '@nestjs/common';
import { Database, type EventJob, Queues, type SandboxContext } from '#core';
import { Notifier } from '../notifier.js';
import { UsersRepository } from '../users.repository.js';
import { EndSessions } from './end-sessions.js';

/** Customers per batch: one transaction each, so a crash loses at most one batch's work, then redoes it. */
export const FORCED_RESET_BATCH = 1_000;

/**
 * The operator forced every customer to reset their password (7pay,
 * 2019-07-30): page by page, each customer's password stops signing in,
 * their sessions end and they are told by e-mail. A page redone after a
 * crash skips the customers it already reached.
 */
@Injectable()
export class ApplyForcedReset {
  constructor(
    private readonly db: Database,
    private readonly users: UsersRepository,
    private readonly endSessions: EndSessions,
    private readonly notifier: Notifier,
    private readonly queues: Queues,
  ) {}

  async batch(sandbox: SandboxContext, job: EventJob<'service.password_reset_forced'> & { after?: string }): Promise<void> {
    const forcedAt = new Date(job.occurredAt);
    const last = await this.db.transaction(async (tx) => {
      const { page, marked } = await this.users.forceReset(tx, sandbox.id, job.after ?? null, FORCED_RESET_BATCH, forcedAt);
      await this.endSessions.endEvery(tx, sandbox, marked, 'forced_password_reset');
      await this.notifier.forcedReset(tx, sandbox.id, marked, sandbox.time.now());
      return page.length === FORCED_RESET_BATCH ? page[page.length - 1].id : null;
    });
    if (last) await this.queues.add('identity.force-password-reset', { ...job, after: last }, [job.eventId, last]);
  }
}
