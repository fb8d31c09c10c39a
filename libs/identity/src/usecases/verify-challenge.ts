import { Injectable } from '@nestjs/common';
import { verify as verifyTotp } from 'otplib';
import { type ClientFacts, Database, DomainError, type SandboxContext, type Tx, type UserPrincipal, systemNowMs, Outbox } from '#core';
import { type Challenge, type ChallengePurpose, ChallengesRepository } from '../challenges.repository.js';
import { Keyring } from '../keyring.js';
import { Notifier } from '../notifier.js';
import { SessionsRepository } from '../sessions.repository.js';
import { Throttle } from '../throttle.js';
import { type User, UsersRepository, mustResetPassword } from '../users.repository.js';
import { CODE_ATTEMPTS } from './issue-challenge.js';
import { STEP_UP_SECONDS, OpenSession, type Tokens } from './open-session.js';

export type VerifyResult = { kind: 'tokens'; tokens: Tokens } | { kind: 'stepped_up'; steppedUpUntil: Date };

type Answered = VerifyResult | { kind: 'phone_changed' };

type Outcome = { ok: true; result: Answered; email: string } | { ok: false; error: DomainError };

const noLongerValid = (): Outcome => ({
  ok: false,
  error: new DomainError('mfa_required', 'This challenge is no longer valid; start again to get a new code'),
});

/**
 * Checks a code. A sign-in challenge then trusts the device and opens a
 * session (stepped up, since a factor was just passed); a step-up challenge
 * marks the session that asked for it; a phone change's sets the number the
 * code went to, and tells both numbers. Wrong codes count alike for each.
 */
@Injectable()
export class VerifyChallenge {
  constructor(
    private readonly db: Database,
    private readonly challenges: ChallengesRepository,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly keyring: Keyring,
    private readonly issuer: OpenSession,
    private readonly notifier: Notifier,
    private readonly events: Outbox,
    private readonly throttle: Throttle,
  ) {}

  async execute(
    sandbox: SandboxContext,
    caller: UserPrincipal | null,
    input: { challengeId: string; code: string },
    client: ClientFacts,
  ): Promise<VerifyResult> {
    return (await this.answer(sandbox, caller, input, client, ['login', 'step_up'])) as VerifyResult;
  }

  /** A phone change's code, answered by the session that asked (POST /v1/account/phone/confirm). */
  async confirmPhone(me: UserPrincipal, input: { challengeId: string; code: string }, client: ClientFacts): Promise<void> {
    await this.answer(me.sandbox, me, input, client, ['phone_change']);
  }

  private async answer(
    sandbox: SandboxContext,
    caller: UserPrincipal | null,
    input: { challengeId: string; code: string },
    client: ClientFacts,
    purposes: readonly ChallengePurpose[],
  ): Promise<Answered> {
    // The transaction commits in every case, so a wrong code's attempt is counted.
    const outcome = await this.db.transaction(async (tx): Promise<Outcome> => {
      const challenge = await this.challenges.lock(tx, sandbox.id, input.challengeId);
      const now = sandbox.time.now();
      if (!challenge || !purposes.includes(challenge.purpose)) return noLongerValid();
      if (challenge.consumedAt || challenge.expiresAt <= now || challenge.attempts >= CODE_ATTEMPTS) return noLongerValid();
      if (challenge.purpose !== 'login' && caller?.sessionId !== challenge.sessionId) {
        return { ok: false, error: new DomainError('mfa_required', 'This challenge belongs to another session') };
      }
      await this.throttle.assertCodeEntryAllowed(sandbox.id, challenge.userId);
      const user = (await this.users.findById(tx, sandbox.id, challenge.userId)) as User;
      // A challenge outlives nothing it was issued under: the membership, the password (whoever typed the old one may be a stranger).
      if (user.closedAt || challenge.createdAt < user.passwordChangedAt || mustResetPassword(user)) return noLongerValid();
      if (!(await this.codeMatches(tx, sandbox, challenge, user, input.code))) {
        const attempts = await this.challenges.recordAttempt(tx, sandbox.id, challenge.id);
        await this.throttle.recordCodeFailure(sandbox.id, user.id);
        await this.events.emit(tx, sandbox, 'auth.login_failed', { userId: user.id, email: user.email, reason: 'bad_code', ...client });
        return {
          ok: false,
          error: new DomainError('unauthenticated', 'The code is not correct', {
            attemptsRemaining: Math.max(0, CODE_ATTEMPTS - attempts),
          }),
        };
      }
      await this.challenges.consume(tx, sandbox.id, challenge.id, now);
      const result =
        challenge.purpose === 'login'
          ? await this.signIn(tx, sandbox, user, challenge, client)
          : challenge.purpose === 'step_up'
            ? await this.stepUp(tx, sandbox, challenge, now)
            : await this.changePhone(tx, sandbox, user, challenge.phone as string, client, now);
      return { ok: true, result, email: user.email };
    });
    if (!outcome.ok) throw outcome.error;
    if (outcome.result.kind === 'tokens') await this.throttle.recordSignIn(sandbox.id, outcome.email);
    return outcome.result;
  }

  private async codeMatches(tx: Tx, sandbox: SandboxContext, challenge: Challenge, user: User, code: string): Promise<boolean> {
    if (challenge.method === 'sms') return challenge.codeHash !== null && this.keyring.codeMatches(challenge.id, code, challenge.codeHash);
    if (!user.totpSecret || !user.totpEnabledAt) return false;
    // TOTP follows the wall clock the user's authenticator app runs on, not the sandbox clock.
    const result = await verifyTotp({
      secret: this.keyring.open(user, user.totpSecret),
      token: code,
      epoch: Math.floor(systemNowMs() / 1000),
      epochTolerance: 30,
      afterTimeStep: user.totpLastStep ?? undefined,
    });
    if (!result.valid || !('timeStep' in result)) return false;
    // A code answers one challenge: its time step is used up with it.
    return this.users.useTotpStep(tx, sandbox.id, user.id, result.timeStep);
  }

  private async signIn(tx: Tx, sandbox: SandboxContext, user: User, challenge: Challenge, client: ClientFacts): Promise<VerifyResult> {
    const at = sandbox.time.now();
    const deviceClient = { ...client, userAgent: challenge.userAgent ?? client.userAgent };
    const device = await this.sessions.trustDevice(tx, sandbox.id, user.id, challenge.deviceHash as string, deviceClient.userAgent, at);
    const opened = await this.issuer.open(tx, { sandbox, userId: user.id, walletId: user.walletId }, device.id, deviceClient, true);
    if (!device.wasTrusted) {
      await this.notifier.newDevice(tx, user, deviceClient, at);
      await this.events.emit(tx, sandbox, 'auth.new_device', {
        userId: user.id,
        walletId: user.walletId,
        deviceId: device.id,
        takeover: false,
        ...deviceClient,
        deviceHash: challenge.deviceHash,
      });
    }
    await this.events.emit(tx, sandbox, 'auth.login_succeeded', {
      userId: user.id,
      walletId: user.walletId,
      deviceId: device.id,
      newDevice: !device.wasTrusted,
      secondFactor: challenge.method,
      ...deviceClient,
      deviceHash: challenge.deviceHash,
    });
    return { kind: 'tokens', tokens: { accessToken: opened.accessToken, refreshToken: opened.refreshToken, expiresIn: opened.expiresIn } };
  }

  private async changePhone(tx: Tx, sandbox: SandboxContext, user: User, phone: string, client: ClientFacts, now: Date): Promise<Answered> {
    await this.users.setPhone(tx, sandbox.id, user.id, phone);
    await this.notifier.contactChanged(tx, user, 'phone', user.phone, phone, now);
    await this.events.emit(tx, sandbox, 'auth.contact_changed', { userId: user.id, field: 'phone', ...client });
    return { kind: 'phone_changed' };
  }

  private async stepUp(tx: Tx, sandbox: SandboxContext, challenge: Challenge, now: Date): Promise<VerifyResult> {
    const until = new Date(now.getTime() + STEP_UP_SECONDS * 1000);
    await this.sessions.stepUp(tx, sandbox.id, challenge.sessionId as string, until);
    return { kind: 'stepped_up', steppedUpUntil: until };
  }
}
