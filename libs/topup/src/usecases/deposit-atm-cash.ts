import { Injectable } from '@nestjs/common';
import { Database, DomainError, Outbox, type SandboxContext, ServicePolicy, sha256Hex } from '#core';
import { AtmCodesRepository } from '../atm-codes.repository.js';
import { type Topup, TopupsRepository, topupFacts } from '../topups.repository.js';

/** The sandbox's ATM simulator: the customer keys in the deposit code of an ATM top-up and the cash goes in. */
@Injectable()
export class DepositAtmCash {
  constructor(
    private readonly db: Database,
    private readonly topups: TopupsRepository,
    private readonly atmCodes: AtmCodesRepository,
    private readonly outbox: Outbox,
    private readonly policy: ServicePolicy,
  ) {}

  async deposit(sandbox: SandboxContext, depositCode: string): Promise<Topup> {
    // The ATM takes no cash once the channel is suspended, whenever the code was issued.
    await this.policy.assertOpen(sandbox, 'topup.atm');
    return this.db.transaction(async (tx) => {
      const now = sandbox.time.now();
      const codeHash = sha256Hex(depositCode);
      const code = await this.atmCodes.findForUpdate(tx, sandbox.id, codeHash);
      if (!code) throw new DomainError('code_invalid', 'No such deposit code');
      if (code.usedAt) throw new DomainError('code_used', 'This deposit code was already used');
      if (code.expiresAt <= now) throw new DomainError('code_expired', 'This deposit code has expired');
      const topup = await this.topups.get(tx, sandbox.id, code.topupId, {}, true);
      // A process whose view of the clock lags may still see the code as valid after the sweep failed its top-up.
      if (topup.status !== 'pending') throw new DomainError('code_expired', 'This deposit code has expired');
      await this.atmCodes.markUsed(tx, sandbox.id, codeHash, now);
      await this.topups.update(tx, sandbox.id, topup.id, { nextAction: null }, now);
      const ready = { ...topup, nextAction: null };
      await this.outbox.emit(tx, sandbox, 'topup.requested', topupFacts(ready));
      return ready;
    });
  }
}
