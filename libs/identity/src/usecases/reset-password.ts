import { Injectable } from '@nestjs/common';
import { type ClientFacts, Database, DomainError, Environment, type SandboxContext, randomSecret, sha256Hex, Outbox } from '#core';
import { ChallengesRepository } from '../challenges.repository.js';
import { Notifier } from '../notifier.js';
import { PasswordHasher, passwordProblem } from '../passwords.js';
import { SessionsRepository } from '../sessions.repository.js';
import { Throttle } from '../throttle.js';
import { UsersRepository } from '../users.repository.js';
import { EndSessions } from './end-sessions.js';
import { LEGACY_DEFAULT_BIRTHDAY } from './register-customer.js';

type ResetToken = NonNullable<Awaited<ReturnType<ChallengesRepository['lockResetToken']>>>;

/** 30 minutes of sandbox time, single use. */
const RESET_SECONDS = 30 * 60;

export interface ResetRequest {
  email: string;
  /** Only `legacy-2019` looks at these three: 7pay mailed the link to any address when birthday and phone matched. */
  birthday?: string;
  phone?: string;
  sendTo?: string;
}

/**
 * Password reset. The link goes only to the registered e-mail (on
 * `hardened`), is built from PUBLIC_URL (never the Host header), and the
 * answer is the same whether or not the account exists.
 */
@Injectable()
export class ResetPassword {
  constructor(
    private readonly db: Database,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly endSessions: EndSessions,
    private readonly challenges: ChallengesRepository,
    private readonly hasher: PasswordHasher,
    private readonly notifier: Notifier,
    private readonly events: Outbox,
    private readonly throttle: Throttle,
    private readonly env: Environment,
  ) {}

  async request(sandbox: SandboxContext, input: ResetRequest, client: ClientFacts): Promise<void> {
    if (sandbox.securityProfile === 'hardened' && !(await this.throttle.resetAllowed(sandbox.id, input.email))) return;
    await this.db.transaction(async (tx) => {
      const user = await this.users.findByEmail(tx, sandbox.id, input.email);
      const recipient = user ? this.recipient(sandbox, user, input) : null;
      if (user && recipient) {
        const token = randomSecret(43);
        const at = sandbox.time.now();
        await this.challenges.insertResetToken(tx, {
          hash: sha256Hex(token),
          sandboxId: sandbox.id,
          userId: user.id,
          at,
          expiresAt: new Date(at.getTime() + RESET_SECONDS * 1000),
        });
        const link = `${this.env.publicUrl()}/reset-password?token=${token}`;
        await this.notifier.passwordReset(tx, sandbox.id, recipient, link, token, at);
      }
      await this.events.emit(tx, sandbox, 'auth.password_reset_requested', {
        userId: user?.id ?? null,
        email: input.email,
        sentToRegisteredEmail: recipient !== null && recipient === user?.email,
        ...client,
      });
    });
  }

  /**
   * Sets the new password. Never signs in: every session ends, trusted
   * devices are forgotten, so the next sign-in needs the second factor. The
   * account's lock lifts, and the device that completed the reset (its
   * `deviceId`, if sent) signs in even if strangers lock the account again.
   */
  async confirm(sandbox: SandboxContext, input: { token: string; newPassword: string }, client: ClientFacts): Promise<void> {
    const problem = passwordProblem(input.newPassword, sandbox.securityProfile, 'newPassword');
    if (problem) throw DomainError.invalid([problem]);
    const hardened = sandbox.securityProfile === 'hardened';
    let attempt = hardened ? await this.throttle.takeResetConfirm(sandbox.id, client.ip) : null;
    const tokenHash = sha256Hex(input.token);
    const usable = (token: ResetToken | null): token is ResetToken =>
      token !== null && token.sandboxId === sandbox.id && !token.usedAt && token.expiresAt > sandbox.time.now();
    const invalidToken = () => DomainError.invalid([{ field: 'token', message: 'is not valid: it is unknown, used or expired' }]);
    // The token before the hash: a guessed token costs a lookup, not an argon2 run on the process's hashing threads.
    if (!usable(await this.challenges.lockResetToken(this.db, sandbox.id, tokenHash))) throw invalidToken();
    if (attempt) attempt = await this.throttle.takeResetToken(attempt, tokenHash);
    const tried = attempt;
    const passwordHash = await this.hasher.hash(sandbox.id, input.newPassword).catch(async (error: unknown) => {
      if (tried) await this.throttle.giveBack(tried);
      throw error;
    });
    const owner = await this.db.transaction(async (tx) => {
      const token = await this.challenges.lockResetToken(tx, sandbox.id, tokenHash);
      const now = sandbox.time.now();
      if (!usable(token)) return null;
      const user = await this.users.findById(tx, sandbox.id, token.userId, true);
      if (!user) return null;
      await this.users.setPassword(tx, sandbox.id, user.id, passwordHash, now);
      await this.challenges.useResetTokens(tx, sandbox.id, user.id, now);
      await this.endSessions.end(tx, sandbox, user, 'password_reset');
      await this.sessions.forgetDevices(tx, sandbox.id, user.id, null);
      if (client.deviceHash) await this.sessions.markReset(tx, sandbox.id, user.id, client.deviceHash, client.userAgent, now);
      await this.notifier.passwordChanged(tx, user, 'reset', now);
      await this.events.emit(tx, sandbox, 'auth.password_reset_completed', { userId: user.id, walletId: user.walletId, ...client });
      return user;
    });
    if (!owner) throw invalidToken();
    if (tried) await this.throttle.giveBack(tried);
    await this.throttle.recordPasswordReset(sandbox.id, owner.email, owner.id);
  }

  private recipient(
    sandbox: SandboxContext,
    user: { email: string; phone: string; birthday: string | null },
    input: ResetRequest,
  ): string | null {
    if (sandbox.securityProfile === 'hardened') return user.email;
    const birthday = input.birthday ?? LEGACY_DEFAULT_BIRTHDAY;
    if (birthday !== (user.birthday ?? LEGACY_DEFAULT_BIRTHDAY) || input.phone !== user.phone) return null;
    return input.sendTo ?? user.email;
  }
}
