import { Processor } from '@nestjs/bullmq';
import { type JobHandlers, QueueProcessor, WORKER_OPTIONS } from '#core';
import { ApplyTransitions } from './usecases/apply-transitions.js';
import { FanOutNotice } from './usecases/fan-out-notice.js';
import { PayReleasedWallet } from './usecases/pay-released-wallet.js';
import { ReopenPaidClaim } from './usecases/reopen-paid-claim.js';
import { PayoutRuns } from './usecases/run-payouts.js';

@Processor('lifecycle', WORKER_OPTIONS)
export class LifecycleProcessor extends QueueProcessor<'lifecycle'> {
  readonly queue = 'lifecycle';

  constructor(
    private readonly transitions: ApplyTransitions,
    private readonly notice: FanOutNotice,
    private readonly runs: PayoutRuns,
    private readonly reopenPaidClaim: ReopenPaidClaim,
    private readonly payReleasedWallet: PayReleasedWallet,
  ) {
    super();
  }

  protected readonly handlers: JobHandlers<'lifecycle'> = {
    'lifecycle.apply-due': async (_event, { sandbox }) => void (await this.transitions.due(sandbox)),
    'lifecycle.sweep': () => this.transitions.sweep(),
    'lifecycle.on-phase-changed': async ({ sandboxId, data }) => {
      if (data.to === 'abolition_announced') await this.notice.start(sandboxId);
    },
    'lifecycle.notice-batch': (job, { sandbox }) => this.notice.batch(sandbox, job),
    'lifecycle.on-claim-payable': async (_event, { sandbox }) => void (await this.runs.ensure(sandbox, 'claims')),
    'lifecycle.payout-batch': (job, { sandbox }) => this.runs.batch(sandbox, job),
    'lifecycle.on-store-refund': async ({ data }, { sandbox }) => void (await this.reopenPaidClaim.execute(sandbox, data.walletId)),
    'lifecycle.on-hold-released': async ({ data }, { sandbox }) => void (await this.payReleasedWallet.execute(sandbox, data.walletId)),
  };
}
