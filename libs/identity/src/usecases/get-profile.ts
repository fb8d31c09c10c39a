import { Injectable } from '@nestjs/common';
import { Database, DomainError, type UserPrincipal } from '#core';
import { type User, UsersRepository } from '../users.repository.js';

export interface Profile {
  userId: string;
  walletId: string;
  email: string;
  phone: string;
  birthday: string | null;
  totpEnabled: boolean;
  createdAt: string;
}

/** The signed-in customer's own account. */
@Injectable()
export class GetProfile {
  constructor(
    private readonly db: Database,
    private readonly users: UsersRepository,
  ) {}

  async execute(me: UserPrincipal): Promise<Profile> {
    const user = await this.user(me);
    return {
      userId: user.id,
      walletId: user.walletId,
      email: user.email,
      phone: user.phone,
      birthday: user.birthday,
      totpEnabled: user.totpEnabledAt !== null,
      createdAt: user.createdAt.toISOString(),
    };
  }

  /** The account behind the session; gone, it answers `unauthenticated`. */
  async user(me: UserPrincipal): Promise<User> {
    const user = await this.users.findById(this.db, me.sandbox.id, me.userId);
    if (!user) throw new DomainError('unauthenticated', 'The account no longer exists');
    return user;
  }
}
