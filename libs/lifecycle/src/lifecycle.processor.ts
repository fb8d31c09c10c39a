import { Processor } from '@nestjs/bullmq';
import { Database, type JobHandlers, JobName, QueueName, QueueProcessor, type SandboxContext } from '#core';
import { SandboxContexts } from '#sandbox';
import { Notices } from './notices.js';
import { PayoutRuns } from './payout-runs.js';
import { RefundClaims } from './refund-claims.js';
import { ServiceTransitions } from './usecases/service-transitions.js';

@Processor(QueueName.Lifecycle)
export class LifecycleProcessor extends QueueProcessor<QueueName.Lifecycle> {
  readonly queue = QueueName.Lifecycle;

  constructor(
    private readonly transitions: ServiceTransitions,
    private readonly notices: Notices,
    private readonly runs: PayoutRuns,
    private readonly claims: RefundClaims,
    private readonly contexts: SandboxContexts,
    private readonly db: Database,
  ) {
    super();
  }

  protected readonly handlers: JobHandlers<QueueName.Lifecycle> = {
    [JobName.LifecycleApplyDue]: ({ sandboxId }) => this.inSandbox(sandboxId, (sandbox) => this.transitions.applyDue(sandbox)),
    [JobName.LifecycleSweep]: async () => {
      const due = await this.db.rows<{ sandbox_id: string }>(
        `SELECT DISTINCT t.sandbox_id FROM lifecycle_transitions t JOIN sandbox_clocks c ON c.sandbox_id = t.sandbox_id
          WHERE t.applied_at IS NULL AND t.effective_at <= c.now`,
      );
      for (const { sandbox_id } of due) await this.inSandbox(sandbox_id, (sandbox) => this.transitions.applyDue(sandbox));
    },
    [JobName.LifecycleOnPhaseChanged]: async ({ sandboxId, data }) => {
      if (data.to === 'abolition_announced') await this.notices.startFanout(sandboxId);
    },
    [JobName.LifecycleNoticeBatch]: (job) => this.inSandbox(job.sandboxId, (sandbox) => this.notices.batch(sandbox, job)),
    [JobName.LifecycleOnClaimPayable]: ({ sandboxId }) => this.inSandbox(sandboxId, (sandbox) => this.runs.ensure(sandbox, 'claims')),
    [JobName.LifecyclePayoutBatch]: (job) => this.inSandbox(job.sandboxId, (sandbox) => this.runs.batch(sandbox, job)),
    [JobName.LifecycleOnStoreRefund]: ({ sandboxId, data }) =>
      this.inSandbox(sandboxId, async (sandbox) => {
        const reopened = await this.db.transaction((tx) => this.claims.reopenPaid(tx, sandbox, data.walletId));
        if (reopened) await this.runs.ensure(sandbox, 'store_refund');
      }),
    [JobName.LifecycleOnHoldReleased]: ({ sandboxId, data }) =>
      this.inSandbox(sandboxId, async (sandbox) => {
        if (await this.claims.waiting(sandbox.id, data.walletId)) await this.runs.ensure(sandbox, 'hold_released');
      }),
  };

  private async inSandbox(sandboxId: string, work: (sandbox: SandboxContext) => Promise<unknown>): Promise<void> {
    const sandbox = await this.contexts.get(sandboxId);
    if (sandbox) await work(sandbox);
  }
}
