import { Injectable } from '@nestjs/common';
import { generateSecret, generateURI, verify as verifyTotp } from 'otplib';
import { Database, DomainError, type UserPrincipal, systemNowMs } from '#core';
import { Keyring } from '../keyring.js';
import { UsersRepository } from '../users.repository.js';
import { GetProfile, type Profile } from './get-profile.js';

/** The customer's authenticator app (TOTP): enrolled, confirmed by a first code, or turned off (codes go by SMS again). */
@Injectable()
export class ManageTotp {
  constructor(
    private readonly db: Database,
    private readonly users: UsersRepository,
    private readonly profile: GetProfile,
    private readonly keyring: Keyring,
  ) {}

  /** Starts TOTP enrolment: the seed is shown once and takes effect when a first code confirms it. */
  async enroll(me: UserPrincipal): Promise<{ secret: string; otpauthUrl: string }> {
    const user = await this.profile.user(me);
    const secret = generateSecret();
    await this.users.setTotp(this.db, me.sandbox.id, user.id, this.keyring.seal(user, secret), null);
    return { secret, otpauthUrl: generateURI({ issuer: 'Wallet Sandbox', label: user.email, secret }) };
  }

  async confirm(me: UserPrincipal, code: string): Promise<Profile> {
    const user = await this.profile.user(me);
    if (!user.totpSecret) throw DomainError.invalid([{ field: 'code', message: 'start enrolment first (POST /v1/auth/totp)' }]);
    const result = await verifyTotp({
      secret: this.keyring.open(user, user.totpSecret),
      token: code,
      epoch: Math.floor(systemNowMs() / 1000),
      epochTolerance: 30,
    });
    if (!result.valid) throw DomainError.invalid([{ field: 'code', message: 'is not the current code of the authenticator' }]);
    await this.users.setTotp(this.db, me.sandbox.id, user.id, user.totpSecret, me.sandbox.time.now());
    return this.profile.execute(me);
  }

  async disable(me: UserPrincipal): Promise<Profile> {
    await this.users.setTotp(this.db, me.sandbox.id, me.userId, null, null);
    return this.profile.execute(me);
  }
}
