import { Injectable } from '@nestjs/common';
import { RateLimiterRes, type RateLimiterStoreAbstract } from 'rate-limiter-flexible';
import { DomainError, type Queryable, ThrottleCounters } from '#core';
import { networkOf, networksOf } from './client-facts.js';

/**
 * The hardened profile's defences against credential stuffing. Counters run
 * on real time (see ThrottleCounters), keyed per sandbox. The account key is the e-mail as
 * typed, so unknown and known accounts are throttled alike.
 */
export const THROTTLE = {
  /** Failed passwords per account per hour before it locks. */
  accountFailures: 10,
  /** Failed passwords per hour from one of the owner's devices, which no lock or block keeps out, before that device waits an hour. */
  ownersDeviceFailures: 10,
  /** The lock grows with each lock in 24 hours, and never beyond an hour: it cannot be made permanent, only renewed. */
  accountLockSeconds: [15 * 60, 30 * 60, 60 * 60],
  /** Failed logins per IP, and per /24 (IPv6 /64), per hour before that source is blocked for an hour. */
  ipFailures: 20,
  networkFailures: 60,
  /** IPv6's wider networks: per /56 and per /48 (65,536 /64s), per hour before it is blocked for an hour. */
  ipv6SiteFailures: 120,
  ipv6OrganisationFailures: 240,
  /** A stuffing wave: this many failures in 5 minutes at this failure ratio... */
  alarmFailures: 20,
  alarmRatio: 0.5,
  /** ...requires a second factor for every login for this long. */
  alarmSeconds: 15 * 60,
  /** Second-factor challenges sent per account per 15 minutes (SMS pumping, code guessing). */
  challengesPerWindow: 5,
  /** Wrong codes per account per hour before code entry locks for an hour. */
  codeFailures: 10,
  /**
   * Password-reset confirmations per IP per hour that complete no reset (an unknown, used or expired token: a guess),
   * and tries per reset token per hour, before each is refused for the rest of the hour.
   */
  resetConfirmFailuresPerIp: 20,
  resetConfirmsPerToken: 5,
  /** Reset e-mails per account per hour; registrations per IP, and per /24 (IPv6 /64), per hour. */
  resetsPerHour: 3,
  registrationsPerIpHour: 20,
  registrationsPerNetworkHour: 60,
} as const;

@Injectable()
export class Throttle {
  private readonly account: RateLimiterStoreAbstract;
  private readonly locks: RateLimiterStoreAbstract;
  private readonly ownersDevices: RateLimiterStoreAbstract;
  private readonly ip: RateLimiterStoreAbstract;
  /** Failed sign-ins per network, by its prefix length (see networksOf). */
  private readonly networks: Record<24 | 64 | 56 | 48, RateLimiterStoreAbstract>;
  private readonly attempts: RateLimiterStoreAbstract;
  private readonly failures: RateLimiterStoreAbstract;
  private readonly alarms: RateLimiterStoreAbstract;
  private readonly challenges: RateLimiterStoreAbstract;
  private readonly codes: RateLimiterStoreAbstract;
  private readonly resets: RateLimiterStoreAbstract;
  private readonly resetConfirmIps: RateLimiterStoreAbstract;
  private readonly resetTokens: RateLimiterStoreAbstract;
  private readonly registrations: RateLimiterStoreAbstract;
  private readonly networkRegistrations: RateLimiterStoreAbstract;

  constructor(private readonly counters: ThrottleCounters) {
    const limiter = counters.limiter.bind(counters);
    this.account = limiter('account', THROTTLE.accountFailures, 3600);
    this.locks = limiter('account-locks', 1_000, 24 * 3600);
    this.ownersDevices = limiter('owners-device', THROTTLE.ownersDeviceFailures, 3600);
    this.ip = limiter('ip', THROTTLE.ipFailures, 3600);
    const network = limiter('network', THROTTLE.networkFailures, 3600);
    this.networks = {
      24: network,
      64: network,
      56: limiter('network-56', THROTTLE.ipv6SiteFailures, 3600),
      48: limiter('network-48', THROTTLE.ipv6OrganisationFailures, 3600),
    };
    this.attempts = limiter('wave-attempts', 1_000_000, 300);
    this.failures = limiter('wave-failures', 1_000_000, 300);
    // Set, not counted: a key present means the sandbox's stuffing alarm is on.
    this.alarms = limiter('wave-alarm', 1, THROTTLE.alarmSeconds);
    this.challenges = limiter('challenges', THROTTLE.challengesPerWindow, 15 * 60);
    this.codes = limiter('codes', THROTTLE.codeFailures, 3600);
    this.resets = limiter('resets', THROTTLE.resetsPerHour, 3600);
    this.resetConfirmIps = limiter('reset-confirm-ip', THROTTLE.resetConfirmFailuresPerIp, 3600);
    this.resetTokens = limiter('reset-token', THROTTLE.resetConfirmsPerToken, 3600);
    this.registrations = limiter('registrations', THROTTLE.registrationsPerIpHour, 3600);
    this.networkRegistrations = limiter('network-registrations', THROTTLE.registrationsPerNetworkHour, 3600);
  }

  /**
   * Takes one attempt from each counter a sign-in passes, before its password
   * is checked: the source's IP, its networks, then the account. One of the
   * owner's devices (trusted, or where the reset was done: `ownersDevice`,
   * its hash) is a factor the attacker lacks, so no lock or block of account,
   * address or network keeps it out: it takes from a counter of its own.
   * Each take is one atomic step in the store, so a burst of parallel
   * guesses gets no more password checks than the limits allow.
   * Refused at the first counter past its limit; a refused attempt keeps what
   * it took (a source hammering a locked account is failing, and counted so).
   * The caller ends the attempt with loginFailed or passwordRight.
   */
  async takeLoginAttempt(sandboxId: string, email: string, ip: string, ownersDevice: string | null): Promise<LoginAttempt> {
    const networks = networksOf(ip).map(({ prefix, network }): [RateLimiterStoreAbstract, string] => [
      this.networks[prefix],
      `${sandboxId}:${network}`,
    ]);
    const counters: Array<[RateLimiterStoreAbstract, string]> = ownersDevice
      ? [[this.ownersDevices, `${sandboxId}:${email}:${ownersDevice}`]]
      : [[this.ip, `${sandboxId}:${ip}`], ...networks, [this.account, `${sandboxId}:${email}`]];
    // One after the other: a blocked IP's attempts reach neither its network's counter nor the account's.
    const takes: Array<LoginAttempt['takes'][number]> = [];
    for (const [limiter, key] of counters) takes.push(await takeWithin(limiter, key, 'Too many failed sign-ins'));
    return { sandboxId, takes };
  }

  /** A wrong password keeps its attempt: the one that reaches a source's limit blocks it, the one that reaches the account's locks it. */
  async loginFailed(attempt: LoginAttempt): Promise<void> {
    const { sandboxId } = attempt;
    await Promise.all([
      ...attempt.takes.map(async ({ limiter, key, state }) => {
        if (state.consumedPoints < limiter.points) return;
        if (limiter === this.account) await this.lockAccount(key);
        else await limiter.block(key, 3600);
      }),
      this.attempts.consume(sandboxId).catch(ignoreLimit),
      this.failures.consume(sandboxId).catch(ignoreLimit),
    ]);
    await this.raiseAlarmIfWave(sandboxId);
  }

  /**
   * A right password gives its attempt back (the limits count failures), and
   * counts toward the wave's failure ratio as a success.
   */
  async passwordRight(attempt: LoginAttempt): Promise<void> {
    await Promise.all([
      ...attempt.takes.map(({ limiter, key }) => limiter.reward(key, 1)),
      this.attempts.consume(attempt.sandboxId).catch(ignoreLimit),
    ]);
  }

  /**
   * An attempt that failed at nothing gives back what it took: its password
   * could not be checked (the hashing threads were busy), or its reset completed.
   */
  async giveBack(attempt: LoginAttempt): Promise<void> {
    await Promise.all(attempt.takes.map(({ limiter, key }) => limiter.reward(key, 1)));
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

  /**
   * Takes one try of a password-reset confirmation from its IP's counter,
   * before the token is looked up: guessing tokens from one address stops
   * at the limit, whether or not the guesses run in parallel. The caller
   * gives it back (giveBack) when the reset completes.
   */
  async takeResetConfirm(sandboxId: string, ip: string): Promise<LoginAttempt> {
    const taken = await takeWithin(this.resetConfirmIps, `${sandboxId}:${ip}`, 'Too many password-reset confirmations from this address');
    return { sandboxId, takes: [taken] };
  }

  /** Takes one try from a known reset token's own counter, before the new password is hashed: a burst on one token hashes a few times, not once per request. */
  async takeResetToken(attempt: LoginAttempt, tokenHash: string): Promise<LoginAttempt> {
    const taken = await takeWithin(this.resetTokens, `${attempt.sandboxId}:${tokenHash}`, 'Too many tries with this reset link');
    return { ...attempt, takes: [...attempt.takes, taken] };
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

  /** Registrations per address and per network: a farm of addresses in one network shares its network's count. */
  async assertRegistrationAllowed(sandboxId: string, ip: string): Promise<void> {
    for (const [limiter, key, where] of [
      [this.registrations, `${sandboxId}:${ip}`, 'this address'],
      [this.networkRegistrations, `${sandboxId}:${networkOf(ip)}`, "this address's network"],
    ] as const) {
      await limiter.consume(key).catch((outcome: unknown) => {
        throw outcome instanceof RateLimiterRes ? tooMany(outcome.msBeforeNext, `Too many registrations from ${where}`) : outcome;
      });
    }
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

/** What takeLoginAttempt took: one point from each counter, and where each stood after. */
export interface LoginAttempt {
  readonly sandboxId: string;
  readonly takes: ReadonlyArray<{ limiter: RateLimiterStoreAbstract; key: string; state: RateLimiterRes }>;
}

/** One point taken from a counter, and where the counter stood after: past its limit, the store says so rather than throws. */
async function take(limiter: RateLimiterStoreAbstract, key: string): Promise<LoginAttempt['takes'][number]> {
  const state = await limiter.consume(key).catch((outcome: unknown) => {
    ignoreLimit(outcome);
    return outcome as RateLimiterRes;
  });
  return { limiter, key, state };
}

/** One point taken from a counter, refused (and kept) when the counter is past its limit. */
async function takeWithin(limiter: RateLimiterStoreAbstract, key: string, detail: string): Promise<LoginAttempt['takes'][number]> {
  const taken = await take(limiter, key);
  if (taken.state.consumedPoints > limiter.points) throw tooMany(taken.state.msBeforeNext, `${detail}; try again later`);
  return taken;
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
