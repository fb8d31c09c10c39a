import { Injectable } from '@nestjs/common';
import { type ClientFacts, Database, Outbox, type UserPrincipal } from '#core';
import { Notifier } from '../notifier.js';
import { UsersRepository } from '../users.repository.js';
import { GetProfile, type Profile } from './get-profile.js';

/** The signed-in customer changes their phone number; both numbers are told. */
@Injectable()
export class ChangePhone {
  constructor(
    private readonly db: Database,
    private readonly users: UsersRepository,
    private readonly profile: GetProfile,
    private readonly notifier: Notifier,
    private readonly events: Outbox,
  ) {}

  async execute(me: UserPrincipal, phone: string, client: ClientFacts): Promise<Profile> {
    const user = await this.profile.user(me);
    await this.db.transaction(async (tx) => {
      await this.users.setPhone(tx, me.sandbox.id, user.id, phone);
      await this.notifier.contactChanged(tx, user, 'phone', user.phone, phone, me.sandbox.time.now());
      await this.events.emit(tx, me.sandbox, 'auth.contact_changed', { userId: user.id, field: 'phone', ...client });
    });
    return this.profile.execute(me);
  }
}
