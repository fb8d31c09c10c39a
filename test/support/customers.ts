import { randomUUID } from 'node:crypto';
import type { Schemas, WalletSandboxClient } from '@wallet-sandbox/client';
import { type HttpClient, type Reply, type SandboxKeys, answered, replyOf } from './harness.js';

export type Tokens = Schemas['TokensDto'];

export interface CustomerIdentity {
  email: string;
  password: string;
  phone: string;
  deviceId: string;
}

let counter = 0;

/** A new customer's details: unique e-mail and phone, an uncommon password, the phone app's device id. */
export function newIdentity(overrides: Partial<CustomerIdentity> = {}): CustomerIdentity {
  counter += 1;
  const n = `${process.pid % 1000}${String(counter).padStart(5, '0')}${Math.floor(Math.random() * 100)}`;
  return {
    // The phone has only eight digits to vary; the e-mail is unique across test files and runs.
    email: `user${n}-${randomUUID().slice(0, 8)}@example.test`,
    password: `violet-harbour-${n}-lantern`,
    phone: `+8190${n.padEnd(8, '0').slice(0, 8)}`,
    deviceId: randomUUID(),
    ...overrides,
  };
}

/** Drives the customer-facing auth API of one sandbox through the typed client, reading codes from the sandbox's messages. */
export class Customers {
  constructor(
    private readonly h: Pick<HttpClient, 'client'>,
    readonly sandbox: SandboxKeys,
  ) {}

  /** The app before its customer signs in: the publishable key, from `ip` (X-Forwarded-For) when given. */
  private app(ip?: string, headers: Record<string, string> = {}): WalletSandboxClient {
    return this.h.client({
      publishableKey: this.sandbox.publishableKey,
      headers: { ...(ip ? { 'x-forwarded-for': ip } : {}), ...headers },
    });
  }

  register(who: CustomerIdentity, extra: Partial<Schemas['RegisterBody']> = {}, ip?: string): Promise<Reply> {
    const body = { email: who.email, password: who.password, phone: who.phone, ...extra };
    return replyOf(this.app(ip).POST('/v1/auth/register', { body }));
  }

  login(who: Pick<CustomerIdentity, 'email' | 'password' | 'deviceId'>, ip?: string): Promise<Reply> {
    const body = { email: who.email, password: who.password, deviceId: who.deviceId };
    return replyOf(this.app(ip).POST('/v1/auth/login', { body }));
  }

  verify(challengeId: string, code: string, accessToken?: string, ip?: string): Promise<Reply> {
    const forwarded: Record<string, string> = ip ? { 'x-forwarded-for': ip } : {};
    const app = accessToken ? this.h.client({ token: accessToken, headers: forwarded }) : this.app(ip);
    return replyOf(app.POST('/v1/auth/mfa/verify', { body: { challengeId, code } }));
  }

  refresh(refreshToken: string): Promise<Reply> {
    return replyOf(this.app().POST('/v1/auth/refresh', { body: { refreshToken } }));
  }

  requestReset(body: Schemas['ResetRequestBody'], headers: Record<string, string> = {}): Promise<Reply> {
    return replyOf(this.app(undefined, headers).POST('/v1/auth/password-reset', { body }));
  }

  /** `deviceId`: the device completing the reset, which then signs in past a lock on the account. */
  confirmReset(token: string, newPassword: string, deviceId?: string, ip?: string): Promise<Reply> {
    const body = { token, newPassword, ...(deviceId ? { deviceId } : {}) };
    return replyOf(this.app(ip).POST('/v1/auth/password-reset/confirm', { body }));
  }

  async messages(to: string): Promise<Schemas['MessageDto'][]> {
    const operator = this.h.client({ token: this.sandbox.secretKey });
    const page = await answered(operator.GET('/v1/sandbox/messages', { params: { query: { to, limit: 100 } } }), 'reading messages');
    return page.data;
  }

  /** The code of the newest SMS to this phone. */
  async latestCode(phone: string): Promise<string> {
    const [sms] = await this.messages(phone);
    const code = sms?.body.match(/\b(\d{6})\b/)?.[1];
    if (!code) throw new Error(`no code sent to ${phone}`);
    return code;
  }

  async resetToken(email: string): Promise<string> {
    const mail = (await this.messages(email)).find((m) => m.subject === 'Reset your password');
    const token = mail?.body.match(/token=([0-9A-Za-z]+)/)?.[1];
    if (!token) throw new Error(`no reset link sent to ${email}`);
    return token;
  }

  /** Makes a call, and if it asks for a second factor, passes it with the code from the phone and makes it again. */
  async stepUp(who: Pick<CustomerIdentity, 'phone'>, accessToken: string, call: () => Promise<Reply>): Promise<Reply> {
    const first = await call();
    if (first.body?.code !== 'step_up_required') return first;
    const verified = await this.verify(first.body.challengeId, await this.latestCode(who.phone), accessToken);
    if (verified.status !== 200) throw new Error(`step-up failed: ${verified.status} ${verified.text}`);
    return call();
  }

  /** Adds the test card that always pays, passing the second factor it asks for; returns the card's id. */
  async addCard(who: Pick<CustomerIdentity, 'phone'>, accessToken: string): Promise<string> {
    const card = { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' };
    const app = this.h.client({ token: accessToken });
    const added = await this.stepUp(who, accessToken, () => replyOf(app.POST('/v1/cards', { body: card })));
    if (added.status !== 201) throw new Error(`adding a card failed: ${added.status} ${added.text}`);
    return added.body.id;
  }

  /** Registers and signs in on the customer's own phone, passing the SMS challenge: the phone becomes trusted. */
  async onboard(
    who: CustomerIdentity = newIdentity(),
    ip?: string,
  ): Promise<{ who: CustomerIdentity; userId: string; walletId: string; tokens: Tokens }> {
    const body = { email: who.email, password: who.password, phone: who.phone };
    const { userId, walletId } = await answered(this.app(ip).POST('/v1/auth/register', { body }), 'registration');
    const tokens = await this.signIn(who, ip);
    return { who, userId, walletId, tokens };
  }

  /** Signs in, answering a challenge with the code from the phone when one comes. */
  async signIn(who: CustomerIdentity, ip?: string): Promise<Tokens> {
    const app = this.app(ip);
    const body = { email: who.email, password: who.password, deviceId: who.deviceId };
    const login = await answered(app.POST('/v1/auth/login', { body }), 'login');
    if (!login.mfaRequired) return login as Tokens;
    const code = await this.latestCode(who.phone);
    const verify = app.POST('/v1/auth/mfa/verify', { body: { challengeId: login.challengeId as string, code } });
    const verified = await answered(verify, 'verification');
    if (!('accessToken' in verified)) throw new Error(`a sign-in challenge was answered as a step-up: ${JSON.stringify(verified)}`);
    return verified;
  }
}
