import { Injectable } from '@nestjs/common';
import { Database, type SandboxContext } from '#core';
import { TopupsRepository, deadlinePassed } from '../topups.repository.js';
import { FailTopup } from './fail-topup.js';

/** Why a top-up failed when the step it waited on ran out, by that step. */
const EXPIRED: Readonly<Record<string, string>> = {
  atm_deposit: 'deposit_code_expired',
  three_d_secure: 'three_d_secure_expired',
};

const BATCH = 500;

/**
 * Fails top-ups that wait on the customer past their deadline (an ATM code
 * never deposited against, a 3-D Secure challenge never answered), so they
 * stop counting against the daily cap and the maximum balance. A clock
 * advance runs it for its sandbox; a periodic sweep for every sandbox.
 */
@Injectable()
export class ExpireTopups {
  constructor(
    private readonly db: Database,
    private readonly topups: TopupsRepository,
    private readonly failures: FailTopup,
  ) {}

  async expireDue(sandbox: SandboxContext): Promise<void> {
    let due: Array<{ id: string; now: Date }>;
    do {
      due = await this.topups.overdue(this.db, sandbox.id, BATCH);
      for (const { id, now } of due) {
        await this.db.transaction(async (tx) => {
          // Checked again under the row lock: a deposit or an answer that came first wins.
          const topup = await this.topups.get(tx, sandbox.id, id, {}, true);
          const failureCode = EXPIRED[String(topup.nextAction?.type)];
          if (topup.status === 'pending' && failureCode && deadlinePassed(topup, now))
            await this.failures.failIn(tx, sandbox, topup, failureCode);
        });
      }
    } while (due.length === BATCH);
  }

  sandboxesDue(): Promise<string[]> {
    return this.topups.sandboxesWithOverdue(this.db);
  }
}
