import { Injectable } from '@nestjs/common';
import { Outbox, type SandboxContext, type Topic, type TopicPayloads, type Tx } from '#core';

/** Security events go through the outbox, for the fraud rules and the operator's event log. */
@Injectable()
export class SecurityEvents {
  constructor(private readonly outbox: Outbox) {}

  async publish<T extends Topic>(tx: Tx, sandbox: SandboxContext, type: T, data: TopicPayloads[T]): Promise<void> {
    await this.outbox.publish(tx, { sandboxId: sandbox.id, type, data, occurredAt: sandbox.time.now() });
  }
}
