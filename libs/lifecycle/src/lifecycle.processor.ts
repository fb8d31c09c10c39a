import { Processor } from '@nestjs/bullmq';
import { type JobHandlers, JobName, QueueName, QueueProcessor, type SandboxContext } from '#core';
import { SandboxContexts } from '#sandbox';
import { ApplyTransitions } from './usecases/apply-transitions.js';
import { FanOutNotice } from './usecases/fan-out-notice.js';
import { PayReleasedWallet } from './usecases/pay-released-wallet.js';
import { ReopenPaidClaim } from './usecases/reopen-paid-claim.js';
import { PayoutRuns } from './usecases/run-payouts.js';

@Processor(QueueName.Lifecycle)
export class LifecycleProcessor extends QueueProcessor<QueueName.Lifecycle> {
  readonly queue = QueueName.Lifecycle;

  constructor(
    private readonly transitions: ApplyTransitions,
    private readonly notice: FanOutNotice,
    private readonly runs: PayoutRuns,
    private readonly reopenPaidClaim: ReopenPaidClaim,
    private readonly payReleasedWallet: PayReleasedWallet,
    private readonly contexts: SandboxContexts,
  ) {
    super();
  }

  protected readonly handlers: JobHandlers<QueueName.Lifecycle> = {
    [JobName.LifecycleApplyDue]: ({ sandboxId }) => this.inSandbox(sandboxId, (sandbox) => this.transitions.due(sandbox)),
    [JobName.LifecycleSweep]: () => this.transitions.sweep(),
    [JobName.LifecycleOnPhaseChanged]: async ({ sandboxId, data }) => {
      if (data.to === 'abolition_announced') await this.notice.start(sandboxId);
    },
    [JobName.LifecycleNoticeBatch]: (job) => this.inSandbox(job.sandboxId, (sandbox) => this.notice.batch(sandbox, job)),
    [JobName.LifecycleOnClaimPayable]: ({ sandboxId }) => this.inSandbox(sandboxId, (sandbox) => this.runs.ensure(sandbox, 'claims')),
    [JobName.LifecyclePayoutBatch]: (job) => this.inSandbox(job.sandboxId, (sandbox) => this.runs.batch(sandbox, job)),
    [JobName.LifecycleOnStoreRefund]: ({ sandboxId, data }) =>
      this.inSandbox(sandboxId, (sandbox) => this.reopenPaidClaim.execute(sandbox, data.walletId)),
    [JobName.LifecycleOnHoldReleased]: ({ sandboxId, data }) =>
      this.inSandbox(sandboxId, (sandbox) => this.payReleasedWallet.execute(sandbox, data.walletId)),
  };

  private async inSandbox(sandboxId: string, work: (sandbox: SandboxContext) => Promise<unknown>): Promise<void> {
    const sandbox = await this.contexts.get(sandboxId);
    if (sandbox) await work(sandbox);
  }
}
