import { Injectable } from '@nestjs/common';
import { type ClientFacts, Database, DomainError, Outbox, type SandboxContext, ServicePolicy, sha256Hex } from '#core';
import { PasswordHasher } from '../passwords.js';
import { SessionsRepository } from '../sessions.repository.js';
import { Throttle } from '../throttle.js';
import { type User, UsersRepository, mustResetPassword } from '../users.repository.js';
import { IssueChallenge, type IssuedChallenge } from './issue-challenge.js';
import { EndSessions } from './end-sessions.js';
import { OpenSession, type Tokens } from './open-session.js';

export type SignInResult = { kind: 'tokens'; tokens: Tokens } | ({ kind: 'mfa' } & IssuedChallenge);

const BAD_CREDENTIALS = 'The e-mail address or password is not correct';

/**
 * Signs a customer in. On `hardened`, a password opens a session only on a
 * device that already passed a second factor, and only while no stuffing wave
 * is on; anything else gets a challenge. On `legacy-2019` the password alone
 * opens a session on any device, and a new device silently ends the others
 * (7pay's takeover).
 */
@Injectable()
export class SignIn {
  constructor(
    private readonly db: Database,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly endSessions: EndSessions,
    private readonly hasher: PasswordHasher,
    private readonly throttle: Throttle,
    private readonly challenges: IssueChallenge,
    private readonly issuer: OpenSession,
    private readonly events: Outbox,
    private readonly policy: ServicePolicy,
  ) {}

  async execute(
    sandbox: SandboxContext,
    input: { email: string; password: string; deviceId: string },
    client: ClientFacts,
  ): Promise<SignInResult> {
    await this.policy.assertOpen(sandbox, 'login');
    const hardened = sandbox.securityProfile === 'hardened';
    const deviceHash = sha256Hex(input.deviceId);
    const user = await this.users.findByEmail(this.db, sandbox.id, input.email);
    const device = user ? await this.sessions.findDevice(this.db, sandbox.id, user.id, deviceHash) : null;
    const trustedDevice = device?.trusted ?? false;
    // The device that completed the reset setting the current password proved the registered e-mail: no stranger's lock keeps it out.
    const ownersDevice = trustedDevice || (!!user && !!device?.resetAt && device.resetAt >= user.passwordChangedAt);

    const failed = (reason: 'throttled' | 'bad_credentials') =>
      this.db.transaction((tx) =>
        this.events.emit(tx, sandbox, 'auth.login_failed', { userId: user?.id ?? null, email: input.email, reason, ...client }),
      );
    const attempt = !hardened
      ? null
      : await this.throttle
          .takeLoginAttempt(sandbox.id, input.email, client.ip, ownersDevice ? deviceHash : null)
          .catch(async (error: unknown) => {
            await failed('throttled');
            throw error;
          });
    // Unknown accounts answer as a wrong password does, but skip argon2: faster, which a careful observer can time.
    const right =
      !!user &&
      (await this.hasher.verify(sandbox.id, user.passwordHash, input.password).catch(async (error: unknown) => {
        if (attempt) await this.throttle.giveBack(attempt);
        throw error;
      }));
    if (!right) {
      if (attempt) await this.throttle.loginFailed(attempt);
      await failed('bad_credentials');
      throw new DomainError('unauthenticated', BAD_CREDENTIALS);
    }
    if (attempt) await this.throttle.passwordRight(attempt);
    // Only someone who knows the password learns that it must be replaced.
    if (mustResetPassword(user)) {
      throw new DomainError('password_reset_required', 'Every customer must set a new password: use the password reset, then sign in');
    }
    if (!hardened) return this.legacyLogin(sandbox, user, deviceHash, client);

    if (trustedDevice && device && !(await this.throttle.waveAlarmOn(sandbox.id))) {
      await this.throttle.recordSignIn(sandbox.id, input.email);
      const tokens = await this.db.transaction(async (tx) => {
        await this.sessions.trustDevice(tx, sandbox.id, user.id, deviceHash, client.userAgent, sandbox.time.now());
        const opened = await this.issuer.open(tx, { sandbox, userId: user.id, walletId: user.walletId }, device.id, client, false);
        await this.events.emit(tx, sandbox, 'auth.login_succeeded', {
          userId: user.id,
          walletId: user.walletId,
          deviceId: device.id,
          newDevice: false,
          secondFactor: 'none',
          ...client,
        });
        return opened;
      });
      return {
        kind: 'tokens',
        tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresIn: tokens.expiresIn },
      };
    }
    const challenge = await this.db.transaction((tx) => this.challenges.issue(tx, sandbox, user, 'login', { ...client, deviceHash }));
    return { kind: 'mfa', ...challenge };
  }

  private async legacyLogin(sandbox: SandboxContext, user: User, deviceHash: string, client: ClientFacts): Promise<SignInResult> {
    const tokens = await this.db.transaction(async (tx) => {
      const at = sandbox.time.now();
      const device = await this.sessions.trustDevice(tx, sandbox.id, user.id, deviceHash, client.userAgent, at);
      const opened = await this.issuer.open(tx, { sandbox, userId: user.id, walletId: user.walletId }, device.id, client, false);
      if (!device.wasTrusted) {
        // The new phone takes the account over: every other session ends, and nobody is told.
        await this.endSessions.end(tx, sandbox, user, 'device_takeover', { except: opened.sessionId });
        await this.events.emit(tx, sandbox, 'auth.new_device', {
          userId: user.id,
          walletId: user.walletId,
          deviceId: device.id,
          takeover: true,
          ...client,
        });
      }
      await this.events.emit(tx, sandbox, 'auth.login_succeeded', {
        userId: user.id,
        walletId: user.walletId,
        deviceId: device.id,
        newDevice: !device.wasTrusted,
        secondFactor: 'none',
        ...client,
      });
      return opened;
    });
    return { kind: 'tokens', tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresIn: tokens.expiresIn } };
  }
}
