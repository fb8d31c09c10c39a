import { Injectable } from '@nestjs/common';
import { generateSecret, generateURI, verify as verifyTotp } from 'otplib';
import { type ClientFacts, Database, DomainError, Topic, type UserPrincipal, systemNowMs, Outbox } from '#core';
import { Keyring } from '../keyring.js';
import { Notifier } from '../notifier.js';
import { PasswordHasher, passwordProblem } from '../passwords.js';
import { type Device, type Session, SessionsRepository } from '../sessions.repository.js';
import { type User, UsersRepository } from '../users.repository.js';
import { EndSessions, type SessionHolder } from './end-sessions.js';

export interface Profile {
  userId: string;
  walletId: string;
  email: string;
  phone: string;
  birthday: string | null;
  totpEnabled: boolean;
  createdAt: string;
}

/** What a signed-in customer does to their own account. */
@Injectable()
export class Account {
  constructor(
    private readonly db: Database,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly endSessions: EndSessions,
    private readonly hasher: PasswordHasher,
    private readonly keyring: Keyring,
    private readonly notifier: Notifier,
    private readonly events: Outbox,
  ) {}

  async profile(me: UserPrincipal): Promise<Profile> {
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

  /** Needs the current password; ends every session, this one included. */
  async changePassword(me: UserPrincipal, input: { currentPassword: string; newPassword: string }, client: ClientFacts): Promise<void> {
    const user = await this.user(me);
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
      await this.events.emit(tx, me.sandbox, Topic.PasswordChanged, { userId: user.id, ...client });
    });
  }

  async changePhone(me: UserPrincipal, phone: string, client: ClientFacts): Promise<Profile> {
    const user = await this.user(me);
    await this.db.transaction(async (tx) => {
      await this.users.setPhone(tx, me.sandbox.id, user.id, phone);
      await this.notifier.contactChanged(tx, user, 'phone', user.phone, phone, me.sandbox.time.now());
      await this.events.emit(tx, me.sandbox, Topic.ContactChanged, { userId: user.id, field: 'phone', ...client });
    });
    return this.profile(me);
  }

  async listSessions(me: UserPrincipal): Promise<Array<Session & { current: boolean }>> {
    const sessions = await this.sessions.listActiveSessions(this.db, me.sandbox.id, me.userId, me.sandbox.time.now());
    return sessions.map((session) => ({ ...session, current: session.id === me.sessionId }));
  }

  async endSession(me: UserPrincipal, sessionId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const ended = await this.endSessions.end(tx, me.sandbox, holderOf(me), 'ended_by_user', { only: sessionId });
      if (ended === 0) throw DomainError.notFound('session', sessionId);
    });
  }

  async logout(me: UserPrincipal): Promise<void> {
    await this.db.transaction((tx) => this.endSessions.end(tx, me.sandbox, holderOf(me), 'logout', { only: me.sessionId }));
  }

  listDevices(me: UserPrincipal): Promise<Device[]> {
    return this.sessions.listDevices(this.db, me.sandbox.id, me.userId);
  }

  /** Untrusts a device and ends its sessions: its next sign-in needs the second factor again. */
  async forgetDevice(me: UserPrincipal, deviceId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      if ((await this.sessions.forgetDevices(tx, me.sandbox.id, me.userId, deviceId)) === 0) throw DomainError.notFound('device', deviceId);
      await this.endSessions.end(tx, me.sandbox, holderOf(me), 'device_forgotten', { deviceId });
    });
  }

  /** Starts TOTP enrolment: the seed is shown once and takes effect when a first code confirms it. */
  async enrollTotp(me: UserPrincipal): Promise<{ secret: string; otpauthUrl: string }> {
    const user = await this.user(me);
    const secret = generateSecret();
    await this.users.setTotp(this.db, me.sandbox.id, user.id, this.keyring.seal(secret), null);
    return { secret, otpauthUrl: generateURI({ issuer: 'Wallet Sandbox', label: user.email, secret }) };
  }

  async confirmTotp(me: UserPrincipal, code: string): Promise<Profile> {
    const user = await this.user(me);
    if (!user.totpSecret) throw DomainError.invalid([{ field: 'code', message: 'start enrolment first (POST /v1/auth/totp)' }]);
    const result = await verifyTotp({
      secret: this.keyring.open(user.totpSecret),
      token: code,
      epoch: Math.floor(systemNowMs() / 1000),
      epochTolerance: 30,
    });
    if (!result.valid) throw DomainError.invalid([{ field: 'code', message: 'is not the current code of the authenticator' }]);
    await this.users.setTotp(this.db, me.sandbox.id, user.id, user.totpSecret, me.sandbox.time.now());
    return this.profile(me);
  }

  async disableTotp(me: UserPrincipal): Promise<Profile> {
    await this.users.setTotp(this.db, me.sandbox.id, me.userId, null, null);
    return this.profile(me);
  }

  /**
   * Closes the membership: the account stops signing in, every session ends.
   * The balance stays in the wallet; whoever closes before the service ends
   * gives up the right to have it refunded then.
   */
  async close(me: UserPrincipal): Promise<void> {
    const user = await this.user(me);
    await this.db.transaction(async (tx) => {
      const now = me.sandbox.time.now();
      await this.users.close(tx, me.sandbox.id, user.id, now);
      await this.endSessions.end(tx, me.sandbox, user, 'account_closed');
      await this.sessions.forgetDevices(tx, me.sandbox.id, user.id, null);
      await this.notifier.accountClosed(tx, user, now);
      await this.events.emit(tx, me.sandbox, Topic.AccountClosed, { userId: user.id, walletId: user.walletId });
    });
  }

  private async user(me: UserPrincipal): Promise<User> {
    const user = await this.users.findById(this.db, me.sandbox.id, me.userId);
    if (!user) throw new DomainError('unauthenticated', 'The account no longer exists');
    return user;
  }
}

const holderOf = (me: UserPrincipal): SessionHolder => ({ id: me.userId, walletId: me.walletId });
