import { Injectable } from '@nestjs/common';
import { RateLimiterRes, type RateLimiterStoreAbstract } from 'rate-limiter-flexible';
import { DomainError, type Queryable, ThrottleCounters } from '#core';
import { networkOf } from './client-facts.js';

/**
 * The hardened profile's defences against credential stuffing. Counters run
 * on real time (see ThrottleCounters), keyed per sandbox. The account key is the e-mail as
 * typed, so unknown and known accounts are throttled alike.
 */
export const THROTTLE = {
  /** Failed passwords per account per hour before it locks. */
  accountFailures: 10,
  /** The lock grows with each lock in 24 hours, and never beyond an hour: it cannot be made permanent, only renewed. */
  accountLockSeconds: [15 * 60, 30 * 60, 60 * 60],
  /** Failed logins per IP, and per /24 (IPv6 /64), per hour before that source is blocked for an hour. */
  ipFailures: 20,
  networkFailures: 60,
  /** A stuffing wave: this many failures in 5 minutes at this failure ratio... */
  alarmFailures: 20,
  alarmRatio: 0.5,
  /** ...requires a second factor for every login for this long. */
  alarmSeconds: 15 * 60,
  /** Second-factor challenges sent per account per 15 minutes (SMS pumping, code guessing). */
  challengesPerWindow: 5,
  /** Wrong codes per account per hour before code entry locks for an hour. */
  codeFailures: 10,
  /** Reset e-mails per account per hour, and registrations per IP per hour. */
  resetsPerHour: 3,
  registrationsPerIpHour: 20,
} as const;

@Injectable()
export class Throttle {
  private readonly account: RateLimiterStoreAbstract;
  private readonly locks: RateLimiterStoreAbstract;
  private readonly ip: RateLimiterStoreAbstract;
  private readonly network: RateLimiterStoreAbstract;
  private readonly attempts: RateLimiterStoreAbstract;
  private readonly failures: RateLimiterStoreAbstract;
  private readonly alarms: RateLimiterStoreAbstract;
  private readonly challenges: RateLimiterStoreAbstract;
  private readonly codes: RateLimiterStoreAbstract;
  private readonly resets: RateLimiterStoreAbstract;
  private readonly registrations: RateLimiterStoreAbstract;

  constructor(private readonly counters: ThrottleCounters) {
    const limiter = counters.limiter.bind(counters);
    this.account = limiter('account', THROTTLE.accountFailures, 3600);
    this.locks = limiter('account-locks', 1_000, 24 * 3600);
    this.ip = limiter('ip', THROTTLE.ipFailures, 3600);
    this.network = limiter('network', THROTTLE.networkFailures, 3600);
    this.attempts = limiter('wave-attempts', 1_000_000, 300);
    this.failures = limiter('wave-failures', 1_000_000, 300);
    // Set, not counted: a key present means the sandbox's stuffing alarm is on.
    this.alarms = limiter('wave-alarm', 1, THROTTLE.alarmSeconds);
    this.challenges = limiter('challenges', THROTTLE.challengesPerWindow, 15 * 60);
    this.codes = limiter('codes', THROTTLE.codeFailures, 3600);
    this.resets = limiter('resets', THROTTLE.resetsPerHour, 3600);
    this.registrations = limiter('registrations', THROTTLE.registrationsPerIpHour, 3600);
  }

  /** Refuses a login attempt from a blocked source, or for a locked account unless it comes from one of the owner's devices. */
  async assertLoginAllowed(sandboxId: string, email: string, ip: string, ownersDevice: boolean): Promise<void> {
    const checks: Array<[RateLimiterStoreAbstract, string]> = [
      [this.ip, `${sandboxId}:${ip}`],
      [this.network, `${sandboxId}:${networkOf(ip)}`],
    ];
    // A lock keeps strangers out; the owner's device (trusted, or where the reset was done) is a factor the attacker lacks.
    if (!ownersDevice) checks.push([this.account, `${sandboxId}:${email}`]);
    for (const [limiter, key] of checks) {
      const state = await limiter.get(key);
      if (state && state.consumedPoints > limiter.points) throw tooMany(state.msBeforeNext, 'Too many failed sign-ins; try again later');
    }
  }

  /** Counts a failed password; the failure that crosses the account threshold starts a lock. */
  async recordLoginFailure(sandboxId: string, email: string, ip: string): Promise<void> {
    const key = `${sandboxId}:${email}`;
    await Promise.all([
      blockAtLimit(this.ip, `${sandboxId}:${ip}`, 3600),
      blockAtLimit(this.network, `${sandboxId}:${networkOf(ip)}`, 3600),
      this.attempts.consume(sandboxId).catch(ignoreLimit),
      this.failures.consume(sandboxId).catch(ignoreLimit),
      this.account.consume(key).then(async (state) => {
        if (state.consumedPoints >= THROTTLE.accountFailures) await this.lockAccount(key);
      }, ignoreLimit),
    ]);
    await this.raiseAlarmIfWave(sandboxId);
  }

  /** A right password: counts toward the wave's failure ratio as a success. */
  async recordPasswordSuccess(sandboxId: string): Promise<void> {
    await this.attempts.consume(sandboxId).catch(ignoreLimit);
  }

  /**
   * A completed sign-in (trusted device, or second factor passed) clears the
   * account's failures; a right password alone does not, and a lock in force stays.
   */
  async recordSignIn(sandboxId: string, email: string): Promise<void> {
    const key = `${sandboxId}:${email}`;
    const state = await this.account.get(key);
    if (state && state.consumedPoints < THROTTLE.accountFailures) await this.account.delete(key);
  }

  /**
   * A completed password reset: whoever failed at the old password, or at codes
   * while they knew it, kept the owner out; their lock and counts end with it.
   * The record of past locks stays, so a stranger's next lock is still long.
   */
  async recordPasswordReset(sandboxId: string, email: string, userId: string): Promise<void> {
    await Promise.all([
      this.account.delete(`${sandboxId}:${email}`),
      this.codes.delete(`${sandboxId}:${userId}`),
      this.challenges.delete(`${sandboxId}:${userId}`),
    ]);
  }

  /** While a stuffing wave is on, every login needs the second factor. */
  async waveAlarmOn(sandboxId: string): Promise<boolean> {
    return (await this.alarms.get(sandboxId)) !== null;
  }

  async assertChallengeAllowed(sandboxId: string, userId: string): Promise<void> {
    await this.challenges.consume(`${sandboxId}:${userId}`).catch((outcome: unknown) => {
      throw outcome instanceof RateLimiterRes ? tooMany(outcome.msBeforeNext, 'Too many codes requested; try again later') : outcome;
    });
  }

  async assertCodeEntryAllowed(sandboxId: string, userId: string): Promise<void> {
    const state = await this.codes.get(`${sandboxId}:${userId}`);
    if (state && state.consumedPoints > this.codes.points) throw tooMany(state.msBeforeNext, 'Too many wrong codes; try again later');
  }

  async recordCodeFailure(sandboxId: string, userId: string): Promise<void> {
    await blockAtLimit(this.codes, `${sandboxId}:${userId}`, 3600);
  }

  /** False when this account already had its reset e-mails for the hour (the request is then silently dropped). */
  async resetAllowed(sandboxId: string, email: string): Promise<boolean> {
    return this.resets.consume(`${sandboxId}:${email}`).then(
      () => true,
      (outcome: unknown) => {
        if (outcome instanceof RateLimiterRes) return false;
        throw outcome;
      },
    );
  }

  async assertRegistrationAllowed(sandboxId: string, ip: string): Promise<void> {
    await this.registrations.consume(`${sandboxId}:${ip}`).catch((outcome: unknown) => {
      throw outcome instanceof RateLimiterRes ? tooMany(outcome.msBeforeNext, 'Too many registrations from this address') : outcome;
    });
  }

  /** Forgets every counter of one sandbox (sandbox reset). */
  async wipe(sandboxId: string, within: Queryable): Promise<void> {
    await this.counters.wipe(sandboxId, within);
  }

  private async lockAccount(key: string): Promise<void> {
    const locks = await this.locks.consume(key);
    const index = Math.min(locks.consumedPoints, THROTTLE.accountLockSeconds.length) - 1;
    await this.account.block(key, THROTTLE.accountLockSeconds[index]);
  }

  private async raiseAlarmIfWave(sandboxId: string): Promise<void> {
    const [attempts, failures] = await Promise.all([this.attempts.get(sandboxId), this.failures.get(sandboxId)]);
    const failed = failures?.consumedPoints ?? 0;
    const tried = Math.max(attempts?.consumedPoints ?? 0, failed);
    if (failed >= THROTTLE.alarmFailures && failed / tried >= THROTTLE.alarmRatio) {
      await this.alarms.set(sandboxId, failed, THROTTLE.alarmSeconds);
    }
  }
}

function tooMany(msBeforeNext: number, detail: string): DomainError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new DomainError('rate_limited', detail, { retryAfterSeconds: seconds }, { 'Retry-After': String(seconds) });
}

/** Counts one failure; the one that reaches the limit blocks the key (checks then see more points than allowed). */
async function blockAtLimit(limiter: RateLimiterStoreAbstract, key: string, seconds: number): Promise<void> {
  const state = await limiter.consume(key).catch((outcome: unknown) => {
    ignoreLimit(outcome);
    return null;
  });
  if (state && state.consumedPoints >= limiter.points) await limiter.block(key, seconds);
}

/** A counter over its limit still counted; only store errors matter here. */
function ignoreLimit(outcome: unknown): void {
  if (!(outcome instanceof RateLimiterRes)) throw outcome;
}
