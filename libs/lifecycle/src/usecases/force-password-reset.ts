import { Injectable } from '@nestjs/common';
import { Database, Outbox, type SandboxContext } from '#core';

/**
 * The operator forces every customer to set a new password (7pay,
 * 2019-07-30). The order is an event; the identity module carries it out,
 * customer by customer.
 */
@Injectable()
export class ForcePasswordReset {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
  ) {}

  async execute(sandbox: SandboxContext, reason: string | null): Promise<{ eventId: string; forcedAt: string }> {
    const forcedAt = sandbox.time.now();
    const eventId = await this.db.transaction((tx) =>
      this.outbox.publish(tx, {
        sandboxId: sandbox.id,
        type: 'service.password_reset_forced',
        data: { reason },
        occurredAt: forcedAt,
      }),
    );
    return { eventId, forcedAt: forcedAt.toISOString() };
  }
}
