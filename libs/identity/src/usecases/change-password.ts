import { Injectable } from '@nestjs/common';
import { type ClientFacts, Database, DomainError, Outbox, type UserPrincipal } from '#core';
import { Notifier } from '../notifier.js';
import { PasswordHasher, passwordProblem } from '../passwords.js';
import { SessionsRepository } from '../sessions.repository.js';
import { Throttle } from '../throttle.js';
import { UsersRepository } from '../users.repository.js';
import { EndSessions } from './end-sessions.js';
import { GetProfile } from './get-profile.js';

/**
 * The signed-in customer changes their password, after a second factor (the
 * controller's step-up) and with the current one. A wrong current password
 * counts as a failed sign-in (hardened), so a stolen session cannot guess it
 * online. The change ends every session, this one included, and untrusts
 * every other device: whoever held one needs the second factor again.
 */
@Injectable()
export class ChangePassword {
  constructor(
    private readonly db: Database,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly profile: GetProfile,
    private readonly endSessions: EndSessions,
    private readonly hasher: PasswordHasher,
    private readonly throttle: Throttle,
    private readonly notifier: Notifier,
    private readonly events: Outbox,
  ) {}

  async execute(me: UserPrincipal, input: { currentPassword: string; newPassword: string }, client: ClientFacts): Promise<void> {
    const user = await this.profile.user(me);
    const attempt =
      me.sandbox.securityProfile === 'hardened' ? await this.throttle.takeLoginAttempt(me.sandbox.id, user.email, client.ip, null) : null;
    const right = await this.hasher.verify(me.sandbox.id, user.passwordHash, input.currentPassword).catch(async (error: unknown) => {
      if (attempt) await this.throttle.giveBack(attempt);
      throw error;
    });
    if (!right) {
      if (attempt) await this.throttle.loginFailed(attempt);
      throw DomainError.invalid([{ field: 'currentPassword', message: 'is not correct' }]);
    }
    if (attempt) await this.throttle.passwordRight(attempt);
    const problem = passwordProblem(input.newPassword, me.sandbox.securityProfile, 'newPassword');
    if (problem) throw DomainError.invalid([problem]);
    const passwordHash = await this.hasher.hash(me.sandbox.id, input.newPassword);
    await this.db.transaction(async (tx) => {
      const now = me.sandbox.time.now();
      await this.users.setPassword(tx, me.sandbox.id, user.id, passwordHash, now);
      await this.sessions.untrustOthers(tx, me.sandbox.id, user.id, me.deviceId);
      await this.endSessions.end(tx, me.sandbox, user, 'password_changed');
      await this.notifier.passwordChanged(tx, user, 'changed', now);
      await this.events.emit(tx, me.sandbox, 'auth.password_changed', { userId: user.id, ...client });
    });
  }
}
