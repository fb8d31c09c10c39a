import { Processor } from '@nestjs/bullmq';
import { Database, type JobHandlers, JobName, QueueName, QueueProcessor } from '#core';
import { SandboxContexts } from '#sandbox';
import { SessionsRepository } from './sessions.repository.js';
import { EndSessions } from './usecases/end-sessions.js';
import { ForcedPasswordReset } from './usecases/forced-password-reset.js';

/** What the identity module does when other modules speak (fraud, the service lifecycle). */
@Processor(QueueName.Identity)
export class IdentityProcessor extends QueueProcessor<QueueName.Identity> {
  readonly queue = QueueName.Identity;

  constructor(
    private readonly db: Database,
    private readonly sessions: SessionsRepository,
    private readonly endSessions: EndSessions,
    private readonly contexts: SandboxContexts,
    private readonly forcedReset: ForcedPasswordReset,
  ) {
    super();
  }

  protected readonly handlers: JobHandlers<QueueName.Identity> = {
    /** The account was taken over: every session ends and every device must pass the second factor again. */
    [JobName.IdentityOnFraudConfirmed]: async ({ sandboxId, data }) => {
      const sandbox = await this.contexts.get(sandboxId);
      if (!sandbox || !data.userId) return;
      const userId = data.userId;
      await this.db.transaction(async (tx) => {
        await this.endSessions.end(tx, sandbox, { id: userId, walletId: data.walletId }, 'fraud_confirmed');
        await this.sessions.forgetDevices(tx, sandboxId, userId, null);
      });
    },
    /** A risky sign-in: no session of the customer counts as stepped up any more. */
    [JobName.IdentityOnStepUpDemanded]: async ({ sandboxId, data }) => {
      await this.db.rows(
        `UPDATE identity_sessions SET stepped_up_until = NULL WHERE sandbox_id = $1 AND user_id = $2 AND revoked_at IS NULL`,
        [sandboxId, data.userId],
      );
    },
    /** The operator forced a password reset of every customer: one page of them. */
    [JobName.IdentityForcePasswordReset]: async (job) => {
      const sandbox = await this.contexts.get(job.sandboxId);
      if (sandbox) await this.forcedReset.batch(sandbox, job);
    },
  };
}
