import { Injectable } from '@nestjs/common';
import { type ClientFacts, Database, type UserPrincipal } from '#core';
import { IssueChallenge, type IssuedChallenge } from './issue-challenge.js';
import { GetProfile, type Profile } from './get-profile.js';
import { VerifyChallenge } from './verify-challenge.js';

export const PHONE_CHANGE_MESSAGE =
  'Enter the code sent by SMS to the new number (POST /v1/account/phone/confirm); the phone changes once it is confirmed.';

/**
 * The signed-in customer changes their phone number. A code goes by SMS to
 * the new number, and the number changes only when that code is entered,
 * by the same session, within 5 minutes: a typo or someone else's number
 * never becomes where the account's codes go. Wrong codes count as other
 * codes do; once changed, both numbers are told.
 */
@Injectable()
export class ChangePhone {
  constructor(
    private readonly db: Database,
    private readonly profile: GetProfile,
    private readonly challenges: IssueChallenge,
    private readonly verify: VerifyChallenge,
  ) {}

  async request(me: UserPrincipal, phone: string, client: ClientFacts): Promise<IssuedChallenge & { message: string }> {
    const user = await this.profile.user(me);
    const issued = await this.db.transaction((tx) => this.challenges.issueForNewPhone(tx, me.sandbox, user, phone, client, me.sessionId));
    return { ...issued, message: PHONE_CHANGE_MESSAGE };
  }

  async confirm(me: UserPrincipal, input: { challengeId: string; code: string }, client: ClientFacts): Promise<Profile> {
    await this.verify.confirmPhone(me, input, client);
    return this.profile.execute(me);
  }
}
