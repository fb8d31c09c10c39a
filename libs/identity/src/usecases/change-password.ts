import { Injectable } from '@nestjs/common';
import { type ClientFacts, Database, DomainError, Outbox, type UserPrincipal } from '#core';
import { Notifier } from '../notifier.js';
import { PasswordHasher, passwordProblem } from '../passwords.js';
import { UsersRepository } from '../users.repository.js';
import { EndSessions } from './end-sessions.js';
import { GetProfile } from './get-profile.js';

/** The signed-in customer changes their password: it needs the current one, and ends every session, this one included. */
@Injectable()
export class ChangePassword {
  constructor(
    private readonly db: Database,
    private readonly users: UsersRepository,
    private readonly profile: GetProfile,
    private readonly endSessions: EndSessions,
    private readonly hasher: PasswordHasher,
    private readonly notifier: Notifier,
    private readonly events: Outbox,
  ) {}

  async execute(me: UserPrincipal, input: { currentPassword: string; newPassword: string }, client: ClientFacts): Promise<void> {
    const user = await this.profile.user(me);
    if (!(await this.hasher.verify(user.passwordHash, input.currentPassword))) {
      throw DomainError.invalid([{ field: 'currentPassword', message: 'is not correct' }]);
    }
    const problem = passwordProblem(input.newPassword, me.sandbox.securityProfile, 'newPassword');
    if (problem) throw DomainError.invalid([problem]);
    const passwordHash = await this.hasher.hash(input.newPassword);
    await this.db.transaction(async (tx) => {
      const now = me.sandbox.time.now();
      await this.users.setPassword(tx, me.sandbox.id, user.id, passwordHash, now);
      await this.endSessions.end(tx, me.sandbox, user, 'password_changed');
      await this.notifier.passwordChanged(tx, user, 'changed', now);
      await this.events.emit(tx, me.sandbox, 'auth.password_changed', { userId: user.id, ...client });
    });
  }
}
