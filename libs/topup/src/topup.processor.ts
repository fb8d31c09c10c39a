import { Processor } from '@nestjs/bullmq';
import { type JobHandlers, QueueProcessor, isLastAttempt, WORKER_OPTIONS } from '#core';
import { ExpireTopups } from './usecases/expire-topups.js';
import { ResolveHeldTopups } from './usecases/resolve-held-topups.js';
import { SettleTopup } from './usecases/settle-topup.js';

@Processor('topup', WORKER_OPTIONS)
export class TopupProcessor extends QueueProcessor<'topup'> {
  readonly queue = 'topup';

  constructor(
    private readonly settle: SettleTopup,
    private readonly held: ResolveHeldTopups,
    private readonly deadlines: ExpireTopups,
  ) {
    super();
  }

  protected readonly handlers: JobHandlers<'topup'> = {
    'topup.on-screened': (event, { sandbox, job }) => this.settle.onScreened(sandbox, event, job.attemptsMade, isLastAttempt(job)),
    'topup.on-screening-failed': ({ data }, { sandbox }) => this.settle.onScreeningFailed(sandbox, data.topupId),
    'topup.on-authenticated': (event, { sandbox, job }) =>
      this.settle.onAuthenticated(sandbox, event.data.topupId, job.attemptsMade, isLastAttempt(job)),
    'topup.on-hold-released': ({ data }, { sandbox }) => this.held.settle(sandbox, data.topupIds),
    'topup.on-fraud-confirmed': ({ data }, { sandbox }) => this.held.cancel(sandbox, data.topupIds),
    'topup.on-compensated': ({ data }, { sandbox }) => this.held.markReversed(sandbox, data.reversedTopupIds),
    'topup.expire-on-clock-advance': (_event, { sandbox }) => this.deadlines.expireDue(sandbox),
    'topup.expire-sweep': async () => {
      for (const sandboxId of await this.deadlines.sandboxesDue())
        await this.inSandbox(sandboxId, (sandbox) => this.deadlines.expireDue(sandbox));
    },
  };
}
