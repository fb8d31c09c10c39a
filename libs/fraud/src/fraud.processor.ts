import { Processor } from '@nestjs/bullmq';
import { type EventJob, type FinalFailureHandlers, type JobHandlers, JobName, QueueName, QueueProcessor } from '#core';
import { SandboxContexts } from '#sandbox';
import { Compensation } from './usecases/compensate-victim.js';
import { FraudDecisions } from './usecases/decide-on-events.js';
import { ExpireHolds } from './usecases/expire-holds.js';

@Processor(QueueName.Fraud)
export class FraudProcessor extends QueueProcessor<QueueName.Fraud> {
  readonly queue = QueueName.Fraud;

  constructor(
    private readonly decisions: FraudDecisions,
    private readonly compensation: Compensation,
    private readonly holds: ExpireHolds,
    private readonly contexts: SandboxContexts,
  ) {
    super();
  }

  protected readonly handlers: JobHandlers<QueueName.Fraud> = {
    [JobName.FraudScreenTopup]: (event) => this.inSandbox(event, (sandbox) => this.decisions.screenTopup(sandbox, event)),
    [JobName.FraudObserve]: (event) => this.inSandbox(event, (sandbox) => this.decisions.onEvent(sandbox, event)),
    [JobName.FraudCompensate]: (event) => this.inSandbox(event, (sandbox) => this.compensation.compensate(sandbox, event)),
    [JobName.FraudOnPaymentVoided]: (event) => this.inSandbox(event, (sandbox) => this.compensation.resume(sandbox, event.data.walletId)),
    [JobName.FraudExpireHolds]: (event) => this.inSandbox(event, async (sandbox) => void (await this.holds.expireDue(sandbox))),
    [JobName.FraudHoldSweep]: async () => {
      for (const sandboxId of await this.holds.sandboxesDue()) {
        const sandbox = await this.contexts.get(sandboxId);
        if (sandbox) await this.holds.expireDue(sandbox);
      }
    },
  };

  protected override readonly onFinalFailure: FinalFailureHandlers<QueueName.Fraud> = {
    // Fails closed: a top-up nobody could screen is not funded.
    [JobName.FraudScreenTopup]: (event) => this.inSandbox(event, (sandbox) => this.decisions.screeningFailed(sandbox, event)),
  };

  private async inSandbox(
    event: EventJob,
    work: (sandbox: NonNullable<Awaited<ReturnType<SandboxContexts['get']>>>) => Promise<void>,
  ): Promise<void> {
    const sandbox = await this.contexts.get(event.sandboxId);
    if (sandbox) await work(sandbox);
  }
}
