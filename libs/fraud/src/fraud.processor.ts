import { Processor } from '@nestjs/bullmq';
import { Database, type EventJob, type FinalFailureHandlers, type JobHandlers, JobName, QueueName, QueueProcessor } from '#core';
import { SandboxContexts } from '#sandbox';
import { Compensation } from './compensation.js';
import { FraudDecisions } from './decisions.js';
import { Holds } from './holds.js';

@Processor(QueueName.Fraud)
export class FraudProcessor extends QueueProcessor<QueueName.Fraud> {
  readonly queue = QueueName.Fraud;

  constructor(
    private readonly decisions: FraudDecisions,
    private readonly compensation: Compensation,
    private readonly holds: Holds,
    private readonly contexts: SandboxContexts,
    private readonly db: Database,
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
      const due = await this.db.rows<{ sandbox_id: string }>(
        `SELECT DISTINCT h.sandbox_id FROM fraud_holds h JOIN sandbox_clocks c ON c.sandbox_id = h.sandbox_id WHERE h.status = 'open' AND h.expires_at <= c.now`,
      );
      for (const { sandbox_id } of due) {
        const sandbox = await this.contexts.get(sandbox_id);
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
