import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WalletSandboxClient } from '@wallet-sandbox/client';
import { type Answer, ApiError, type Connection, ok, okAs } from './api.js';

/** Test cards of the simulated card network (docs/top-ups.md). */
export const TEST_CARDS = { succeeds: '4242424242424242', declined: '4000000000000002' } as const;

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export interface Customer {
  email: string;
  password: string;
  phone: string;
  deviceId: string;
  userId: string;
  walletId: string;
  tokens?: Tokens;
}

export interface Card {
  id: string;
  brand: string;
  last4: string;
}

/** What the CLI reads of a top-up (`GET /v1/topups/{id}`, not described by the OpenAPI document yet). */
export interface Topup {
  id: string;
  status: 'pending' | 'succeeded' | 'failed' | 'held';
  amount: number;
  failureCode: string | null;
}

/** A code the sandbox texted, and the message it came in. */
export interface TextedCode {
  code: string;
  messageId: string;
}

/**
 * A customer's side of the api, as the phone app drives it: registering
 * with the publishable key, signing in and passing second factors with the
 * codes the sandbox "texts" (read back from `GET /v1/sandbox/messages` with
 * the secret key), adding cards and topping up.
 */
export class Customers {
  /** Messages whose code was used already: the next factor waits for a newer one. */
  private readonly used = new Set<string>();

  constructor(private readonly api: Connection) {}

  async register(): Promise<Customer> {
    const batch = randomBytes(4).toString('hex');
    const who = {
      email: `cli-${batch}@example.test`,
      password: `harbour-lantern-${batch}`,
      phone: `+8190${String(randomInt(10_000_000, 100_000_000))}`,
    };
    const registered = await ok(this.api.publishable.POST('/v1/auth/register', { body: who }));
    return { ...who, deviceId: randomUUID(), ...registered };
  }

  /** Signs in on the customer's phone; a sign-in that asks for the SMS code gets it. Returns the code used, if one was asked. */
  async signIn(customer: Customer): Promise<TextedCode | null> {
    const { email, password, deviceId } = customer;
    const login = await ok(this.api.publishable.POST('/v1/auth/login', { body: { email, password, deviceId } }));
    if (!login.mfaRequired) {
      customer.tokens = login as Tokens;
      return null;
    }
    const texted = await this.textedCode(customer.phone);
    customer.tokens = await okAs<Tokens>(
      this.api.publishable.POST('/v1/auth/mfa/verify', { body: { challengeId: login.challengeId!, code: texted.code } }),
    );
    return texted;
  }

  /** The customer's own client: their access token. */
  app(customer: Customer): WalletSandboxClient {
    if (!customer.tokens) throw new Error(`${customer.email} is not signed in`);
    return this.api.bearer(customer.tokens.accessToken);
  }

  /** Makes a call; if it asks for a second factor, passes it with the texted code and makes it again. */
  async stepUp<T>(customer: Customer, call: () => Promise<Answer<T>>): Promise<T> {
    try {
      return await ok(call());
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'step_up_required') throw error;
      const texted = await this.textedCode(customer.phone);
      const challengeId = String(error.problem.challengeId);
      await ok(this.app(customer).POST('/v1/auth/mfa/verify', { body: { challengeId, code: texted.code } }));
      return ok(call());
    }
  }

  // POST /v1/cards and /v1/topups answer bodies the OpenAPI document does not describe yet: cast to what they are.
  async addCard(customer: Customer, number: string = TEST_CARDS.succeeds): Promise<Card> {
    const card = { number, expMonth: 12, expYear: new Date().getFullYear() + 3, cvc: '123' };
    return (await this.stepUp(customer, () => this.app(customer).POST('/v1/cards', { body: card }))) as unknown as Card;
  }

  /** A card top-up, followed until it settles (the worker authorises it). */
  async topUpByCard(customer: Customer, cardId: string, amount: number): Promise<Topup> {
    const accepted = (await this.stepUp(customer, () =>
      this.app(customer).POST('/v1/topups', { body: { amount, channel: 'card', cardId } }),
    )) as unknown as Topup;
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(200)) {
      const topup = await okAs<Topup>(this.app(customer).GET('/v1/topups/{id}', { params: { path: { id: accepted.id } } }));
      if (topup.status !== 'pending') return topup;
    }
    throw new Error(`top-up ${accepted.id} still pending after 30 s: is the worker running?`);
  }

  /** The six-digit code of the newest SMS to a phone that was not used yet; it may take a moment to be sent. */
  async textedCode(phone: string): Promise<TextedCode> {
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(100)) {
      const messages = await ok(this.api.secret.GET('/v1/sandbox/messages', { params: { query: { to: phone, limit: 1 } } }));
      const [sms] = messages.data;
      const code = sms && !this.used.has(sms.id) ? /\b(\d{6})\b/.exec(sms.body)?.[1] : undefined;
      if (sms && code) {
        this.used.add(sms.id);
        return { code, messageId: sms.id };
      }
    }
    throw new Error(`no code was texted to ${phone}`);
  }
}
