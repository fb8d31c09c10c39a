import { Injectable } from '@nestjs/common';
import type { Queryable } from '#core';
import { Messages } from '#sandbox';
import type { ChallengePurpose } from './challenges.repository.js';
import { deviceFamily } from './client-facts.js';
import type { Member, User } from './users.repository.js';

const BRAND = 'Wallet Sandbox';

/** What a code is for, as its SMS says. */
const CODE_ACTIONS: Record<ChallengePurpose, string> = {
  login: 'sign in on a new device',
  step_up: 'confirm a sensitive action',
  phone_change: 'make this number the phone of your account',
};

/** What the identity module tells customers, by e-mail and SMS, into the sandbox's messages. */
@Injectable()
export class Notifier {
  constructor(private readonly messages: Messages) {}

  async code(q: Queryable, sandboxId: string, phone: string, code: string, purpose: ChallengePurpose, at: Date): Promise<void> {
    const action = CODE_ACTIONS[purpose];
    await this.sms(q, sandboxId, phone, `${BRAND}: ${code} is your code to ${action}. It expires in 5 minutes. Never share it.`, at);
  }

  async welcome(q: Queryable, user: Pick<User, 'sandboxId' | 'email' | 'walletId'>, at: Date): Promise<void> {
    await this.email(q, user.sandboxId, user.email, 'Welcome', `Your ${BRAND} account and wallet ${user.walletId} are ready.`, at);
  }

  async registrationAttempt(q: Queryable, user: User, at: Date): Promise<void> {
    await this.email(
      q,
      user.sandboxId,
      user.email,
      'Someone tried to register with your address',
      'An account already exists for this e-mail address, so nothing was created. If this was not you, you can ignore this message.',
      at,
    );
  }

  async newDevice(q: Queryable, user: User, client: { ip: string; userAgent: string | null }, at: Date): Promise<void> {
    const device = deviceFamily(client.userAgent);
    const where = `from ${client.ip}${device ? ` (${device})` : ''}`;
    await this.email(
      q,
      user.sandboxId,
      user.email,
      'New sign-in to your account',
      `Your account was signed in on a new device ${where}. If this was not you, reset your password now.`,
      at,
    );
    await this.sms(q, user.sandboxId, user.phone, `${BRAND}: new sign-in on another device ${where}. Not you? Reset your password.`, at);
  }

  async passwordReset(q: Queryable, sandboxId: string, to: string, link: string, token: string, at: Date): Promise<void> {
    await this.email(
      q,
      sandboxId,
      to,
      'Reset your password',
      `Someone asked to reset the password of your account. To choose a new one, open ${link} within 30 minutes.\n\ntoken=${token}\n\nIf this was not you, ignore this message: your password stays as it is.`,
      at,
    );
  }

  async emailChange(q: Queryable, sandboxId: string, to: string, link: string, token: string, at: Date): Promise<void> {
    await this.email(
      q,
      sandboxId,
      to,
      'Confirm your new e-mail address',
      `Someone asked to make this the e-mail address of their ${BRAND} account. To confirm it, open ${link} within 30 minutes, signed in to the app.\n\ntoken=${token}\n\nIf this was not you, ignore this message: nothing changes.`,
      at,
    );
  }

  /** The new address of an e-mail change already belongs to an account: only its mailbox learns that. */
  async emailInUse(q: Queryable, sandboxId: string, to: string, at: Date): Promise<void> {
    await this.email(
      q,
      sandboxId,
      to,
      'Confirm your new e-mail address',
      `Someone asked to make this the e-mail address of a ${BRAND} account, but it already belongs to one, so nothing was changed. If this was you, sign in with this address instead.`,
      at,
    );
  }

  async passwordChanged(q: Queryable, user: User, how: 'changed' | 'reset', at: Date): Promise<void> {
    const devices =
      how === 'changed' ? 'your other devices need a code at their next sign-in' : 'every device needs a code at its next sign-in';
    const text = `The password of your account was ${how}: every session was signed out, and ${devices}. If this was not you, contact support now.`;
    await this.email(q, user.sandboxId, user.email, `Your password was ${how}`, text, at);
    await this.sms(q, user.sandboxId, user.phone, `${BRAND}: your password was ${how}. Not you? Contact support now.`, at);
  }

  async contactChanged(q: Queryable, user: User, field: 'email' | 'phone', previous: string, next: string, at: Date): Promise<void> {
    if (field === 'email') {
      for (const to of [previous, next]) {
        await this.email(
          q,
          user.sandboxId,
          to,
          'Your e-mail address was changed',
          `The e-mail address of your account is now ${next}.`,
          at,
        );
      }
    } else {
      for (const to of [previous, next])
        await this.sms(q, user.sandboxId, to, `${BRAND}: the phone number of your account is now ${next}.`, at);
    }
  }

  /** The operator's forced reset, to a page of customers at once. */
  async forcedReset(q: Queryable, sandboxId: string, members: Member[], at: Date): Promise<void> {
    const body =
      'To protect your account, every customer must set a new password. Your sessions were signed out. ' +
      'Use "Forgot password" in the app: a link will be sent to this registered address only.';
    await this.messages.sendMany(
      q,
      members.map((m) => ({ sandboxId, channel: 'email' as const, to: m.email, subject: 'Please set a new password', body, at })),
    );
  }

  async accountClosed(q: Queryable, user: User, at: Date): Promise<void> {
    await this.email(
      q,
      user.sandboxId,
      user.email,
      'Your membership was closed',
      `Your ${BRAND} membership and wallet ${user.walletId} were closed.`,
      at,
    );
  }

  private async email(q: Queryable, sandboxId: string, to: string, subject: string, body: string, at: Date): Promise<void> {
    await this.messages.send(q, { sandboxId, channel: 'email', to, subject, body, at });
  }

  private async sms(q: Queryable, sandboxId: string, to: string, body: string, at: Date): Promise<void> {
    await this.messages.send(q, { sandboxId, channel: 'sms', to, body, at });
  }
}
