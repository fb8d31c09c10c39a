import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type ClientFacts, type Queryable, type SandboxContext, newId } from '#core';
import { type ChallengePurpose, ChallengesRepository } from '../challenges.repository.js';
import { Keyring } from '../keyring.js';
import { Notifier } from '../notifier.js';
import { Throttle } from '../throttle.js';
import type { User } from '../users.repository.js';

/** Codes are valid 5 minutes of sandbox time and allow 5 tries. */
export const CODE_SECONDS = 5 * 60;
export const CODE_ATTEMPTS = 5;

/** Where a challenge's code comes from: an SMS to the registered phone (shown masked), or the authenticator app. */
export interface IssuedChallenge {
  challengeId: string;
  method: 'sms' | 'totp';
  /** The registered phone with all but its last four digits hidden (SMS only), e.g. +81••••••5678. */
  sentTo?: string;
}

/** +819012345678 → +81••••••5678: enough for the owner to recognise, too little to be worth reading. */
export function maskedPhone(phone: string): string {
  const digits = phone.slice(1);
  const country = digits.startsWith('1') || digits.startsWith('7') ? 1 : 2;
  return `+${digits.slice(0, country)}${'•'.repeat(Math.max(0, digits.length - country - 4))}${digits.slice(-4)}`;
}

/**
 * Starts a second-factor challenge: a 6-digit code by SMS to the registered
 * phone, or the user's authenticator app once TOTP is enrolled.
 */
@Injectable()
export class IssueChallenge {
  constructor(
    private readonly challenges: ChallengesRepository,
    private readonly keyring: Keyring,
    private readonly notifier: Notifier,
    private readonly throttle: Throttle,
  ) {}

  async issue(
    q: Queryable,
    sandbox: SandboxContext,
    user: User,
    purpose: Exclude<ChallengePurpose, 'phone_change'>,
    client: ClientFacts,
    sessionId: string | null = null,
  ): Promise<IssuedChallenge> {
    return this.start(q, sandbox, user, purpose, client, sessionId, null);
  }

  /**
   * A code by SMS to a number the customer wants as their phone, whatever
   * their usual factor: entering it (same session) proves the number is theirs.
   */
  async issueForNewPhone(q: Queryable, sandbox: SandboxContext, user: User, phone: string, client: ClientFacts, sessionId: string) {
    return this.start(q, sandbox, user, 'phone_change', client, sessionId, phone);
  }

  private async start(
    q: Queryable,
    sandbox: SandboxContext,
    user: User,
    purpose: ChallengePurpose,
    client: ClientFacts,
    sessionId: string | null,
    newPhone: string | null,
  ): Promise<IssuedChallenge> {
    await this.throttle.assertChallengeAllowed(sandbox.id, user.id);
    const id = newId('chl');
    const at = sandbox.time.now();
    const method = user.totpEnabledAt && !newPhone ? 'totp' : 'sms';
    const to = newPhone ?? user.phone;
    const code = method === 'sms' ? String(randomInt(0, 1_000_000)).padStart(6, '0') : null;
    await this.challenges.insert(q, {
      sandboxId: sandbox.id,
      id,
      userId: user.id,
      purpose,
      method,
      codeHash: code === null ? null : this.keyring.codeHash(id, code),
      sessionId,
      deviceHash: client.deviceHash,
      userAgent: client.userAgent,
      ip: client.ip,
      phone: newPhone,
      at,
      expiresAt: new Date(at.getTime() + CODE_SECONDS * 1000),
    });
    if (code !== null) await this.notifier.code(q, sandbox.id, to, code, purpose, at);
    return method === 'sms' ? { challengeId: id, method, sentTo: maskedPhone(to) } : { challengeId: id, method };
  }
}
