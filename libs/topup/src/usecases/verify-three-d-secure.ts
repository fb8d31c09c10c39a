import { Injectable } from '@nestjs/common';
import { Database, DomainError, Outbox, Secrets, type UserPrincipal } from '#core';
import { THREE_DS_TRIES, threeDsHash } from '../three-d-secure.js';
import { type Topup, TopupsRepository, deadlinePassed, topupFacts } from '../topups.repository.js';
import { FailTopup } from './fail-topup.js';

/** The customer answers the 3-D Secure challenge with the code their card issuer sent; the third wrong code fails the top-up. */
@Injectable()
export class VerifyThreeDSecure {
  constructor(
    private readonly db: Database,
    private readonly topups: TopupsRepository,
    private readonly outbox: Outbox,
    private readonly secrets: Secrets,
    private readonly failures: FailTopup,
  ) {}

  async verify(me: UserPrincipal, topupId: string, code: string): Promise<Topup> {
    const outcome = await this.db.transaction(async (tx) => {
      const topup = await this.topups.get(tx, me.sandbox.id, topupId, { walletId: me.walletId }, true);
      if (topup.status !== 'pending' || topup.nextAction?.type !== 'three_d_secure' || !topup.threeDsHash) {
        throw new DomainError('invalid_request', 'This top-up is not waiting for 3-D Secure', {
          errors: [{ field: 'topupId', message: 'is not awaiting 3-D Secure' }],
        });
      }
      const now = me.sandbox.time.now();
      // Past its deadline the challenge takes no code; the expiry sweep fails the top-up.
      if (deadlinePassed(topup, now)) throw new DomainError('code_expired', 'The 3-D Secure challenge has expired');
      if (threeDsHash(this.secrets, topup.id, code) === topup.threeDsHash) {
        await this.topups.update(tx, me.sandbox.id, topup.id, { nextAction: null, threeDsHash: null }, now);
        await this.outbox.emit(tx, me.sandbox, 'topup.authenticated', topupFacts(topup));
        return { passed: true, remaining: 0 };
      }
      const tries = topup.threeDsTries + 1;
      await this.topups.update(tx, me.sandbox.id, topup.id, { threeDsTries: tries }, now);
      if (tries >= THREE_DS_TRIES) await this.failures.failIn(tx, me.sandbox, topup, 'three_d_secure_failed');
      return { passed: false, remaining: THREE_DS_TRIES - tries };
    });
    if (!outcome.passed) {
      throw new DomainError(
        'unauthenticated',
        outcome.remaining > 0 ? 'The 3-D Secure code is not correct' : 'The 3-D Secure check failed; the top-up failed',
        {
          attemptsRemaining: outcome.remaining,
        },
      );
    }
    return this.topups.get(this.db, me.sandbox.id, topupId);
  }
}
