import { Injectable } from '@nestjs/common';
import { Database, Outbox, type UserPrincipal } from '#core';
import { Notifier } from '../notifier.js';
import { SessionsRepository } from '../sessions.repository.js';
import { UsersRepository } from '../users.repository.js';
import { EndSessions } from './end-sessions.js';
import { GetProfile } from './get-profile.js';

/**
 * Closes the membership: the account stops signing in, every session ends.
 * The balance stays in the wallet; whoever closes before the service ends
 * gives up the right to have it refunded then.
 */
@Injectable()
export class CloseAccount {
  constructor(
    private readonly db: Database,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly profile: GetProfile,
    private readonly endSessions: EndSessions,
    private readonly notifier: Notifier,
    private readonly events: Outbox,
  ) {}

  async execute(me: UserPrincipal): Promise<void> {
    const user = await this.profile.user(me);
    await this.db.transaction(async (tx) => {
      const now = me.sandbox.time.now();
      await this.users.close(tx, me.sandbox.id, user.id, now);
      await this.endSessions.end(tx, me.sandbox, user, 'account_closed');
      await this.sessions.forgetDevices(tx, me.sandbox.id, user.id, null);
      await this.notifier.accountClosed(tx, user, now);
      await this.events.emit(tx, me.sandbox, 'user.account_closed', { userId: user.id, walletId: user.walletId });
    });
  }
}
