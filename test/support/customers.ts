import { randomUUID } from 'node:crypto';
import type { HttpClient, Reply, SandboxKeys } from './harness.js';

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

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

/** Drives the customer-facing auth API of one sandbox, reading codes from the sandbox's messages. */
export class Customers {
  constructor(
    private readonly h: Pick<HttpClient, 'get' | 'post'>,
    readonly sandbox: SandboxKeys,
  ) {}

  private publishable(ip?: string): { headers: Record<string, string> } {
    return { headers: { 'x-publishable-key': this.sandbox.publishableKey, ...(ip ? { 'x-forwarded-for': ip } : {}) } };
  }

  register(who: CustomerIdentity, extra: Record<string, unknown> = {}, ip?: string): Promise<Reply> {
    return this.h.post('/v1/auth/register', { email: who.email, password: who.password, phone: who.phone, ...extra }, this.publishable(ip));
  }

  login(who: Pick<CustomerIdentity, 'email' | 'password' | 'deviceId'>, ip?: string): Promise<Reply> {
    return this.h.post('/v1/auth/login', { email: who.email, password: who.password, deviceId: who.deviceId }, this.publishable(ip));
  }

  verify(challengeId: string, code: string, accessToken?: string, ip?: string): Promise<Reply> {
    const forwarded: Record<string, string> = ip ? { 'x-forwarded-for': ip } : {};
    const auth = accessToken ? { token: accessToken, headers: forwarded } : this.publishable(ip);
    return this.h.post('/v1/auth/mfa/verify', { challengeId, code }, auth);
  }

  refresh(refreshToken: string): Promise<Reply> {
    return this.h.post('/v1/auth/refresh', { refreshToken }, this.publishable());
  }

  requestReset(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Reply> {
    return this.h.post('/v1/auth/password-reset', body, { headers: { ...this.publishable().headers, ...headers } });
  }

  /** `deviceId`: the device completing the reset, which then signs in past a lock on the account. */
  confirmReset(token: string, newPassword: string, deviceId?: string): Promise<Reply> {
    return this.h.post('/v1/auth/password-reset/confirm', { token, newPassword, ...(deviceId ? { deviceId } : {}) }, this.publishable());
  }

  async messages(to: string): Promise<Array<{ channel: string; subject: string | null; body: string }>> {
    const reply = await this.h.get(`/v1/sandbox/messages?to=${encodeURIComponent(to)}&limit=100`, { token: this.sandbox.secretKey });
    return reply.body.data;
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
    const added = await this.stepUp(who, accessToken, () => this.h.post('/v1/cards', card, { token: accessToken }));
    if (added.status !== 201) throw new Error(`adding a card failed: ${added.status} ${added.text}`);
    return added.body.id;
  }

  /** Registers and signs in on the customer's own phone, passing the SMS challenge: the phone becomes trusted. */
  async onboard(
    who: CustomerIdentity = newIdentity(),
    ip?: string,
  ): Promise<{ who: CustomerIdentity; userId: string; walletId: string; tokens: Tokens }> {
    const registered = await this.register(who, {}, ip);
    if (registered.status !== 201) throw new Error(`registration failed: ${registered.status} ${registered.text}`);
    const tokens = await this.signIn(who, ip);
    return { who, userId: registered.body.userId, walletId: registered.body.walletId, tokens };
  }

  /** Signs in, answering a challenge with the code from the phone when one comes. */
  async signIn(who: CustomerIdentity, ip?: string): Promise<Tokens> {
    const login = await this.login(who, ip);
    if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text}`);
    if (!login.body.mfaRequired) return login.body;
    const verified = await this.verify(login.body.challengeId, await this.latestCode(who.phone), undefined, ip);
    if (verified.status !== 200) throw new Error(`verification failed: ${verified.status} ${verified.text}`);
    return verified.body;
  }
}
