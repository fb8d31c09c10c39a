import { Injectable } from '@nestjs/common';
import { type ClientFacts, Database, DomainError, Environment, Outbox, type UserPrincipal, randomSecret, sha256Hex } from '#core';
import { ChallengesRepository } from '../challenges.repository.js';
import { Notifier } from '../notifier.js';
import { UsersRepository } from '../users.repository.js';
import { GetProfile, type Profile } from './get-profile.js';

/** 30 minutes of sandbox time, single use. */
const CONFIRM_SECONDS = 30 * 60;

export const EMAIL_CHANGE_ACCEPTED = {
  message: 'Confirm the change with the link sent to the new address; the e-mail address changes once it is confirmed.',
};

/**
 * Changing the e-mail address. The request answers the same whether or not
 * the new address is taken, so a signed-in customer cannot probe for
 * accounts: the new address's mailbox alone learns which (a link to
 * confirm, or a note that it already has an account). The link works only
 * for the customer who asked, signed in, so a stranger's mailbox typed by
 * mistake cannot take the account over.
 */
@Injectable()
export class ChangeEmail {
  constructor(
    private readonly db: Database,
    private readonly users: UsersRepository,
    private readonly tokens: ChallengesRepository,
    private readonly profile: GetProfile,
    private readonly notifier: Notifier,
    private readonly events: Outbox,
    private readonly env: Environment,
  ) {}

  async request(me: UserPrincipal, email: string): Promise<typeof EMAIL_CHANGE_ACCEPTED> {
    await this.db.transaction(async (tx) => {
      const at = me.sandbox.time.now();
      if (await this.users.emailTaken(tx, me.sandbox.id, email)) return this.notifier.emailInUse(tx, me.sandbox.id, email, at);
      const token = randomSecret(43);
      await this.tokens.insertEmailChange(tx, {
        hash: sha256Hex(token),
        sandboxId: me.sandbox.id,
        userId: me.userId,
        email,
        at,
        expiresAt: new Date(at.getTime() + CONFIRM_SECONDS * 1000),
      });
      await this.notifier.emailChange(tx, me.sandbox.id, email, `${this.env.publicUrl()}/confirm-email?token=${token}`, token, at);
    });
    return EMAIL_CHANGE_ACCEPTED;
  }

  /** The customer who asked, signed in, confirms with the token from the new address: the address changes, and both are told. */
  async confirm(me: UserPrincipal, token: string, client: ClientFacts): Promise<Profile> {
    await this.db.transaction(async (tx) => {
      const change = await this.tokens.lockEmailChange(tx, me.sandbox.id, sha256Hex(token));
      const now = me.sandbox.time.now();
      if (!change || change.sandboxId !== me.sandbox.id || change.userId !== me.userId || change.usedAt || change.expiresAt <= now) {
        throw DomainError.invalid([{ field: 'token', message: 'is not valid: it is unknown, used, expired or not yours' }]);
      }
      const user = await this.users.findById(tx, me.sandbox.id, me.userId, true);
      if (!user) throw new DomainError('unauthenticated', 'The account no longer exists');
      if (!(await this.users.setEmail(tx, me.sandbox.id, user.id, change.email))) {
        throw DomainError.invalid([{ field: 'token', message: 'the address now belongs to another account' }]);
      }
      await this.tokens.useEmailChanges(tx, me.sandbox.id, user.id, now);
      await this.notifier.contactChanged(tx, user, 'email', user.email, change.email, now);
      await this.events.emit(tx, me.sandbox, 'auth.contact_changed', { userId: user.id, field: 'email', ...client });
    });
    return this.profile.execute(me);
  }
}
