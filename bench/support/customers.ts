import { randomUUID } from 'node:crypto';
import type { ApiClient, ExtraHeaders, Sandbox } from './api.js';
import { forEachConcurrently } from './measure.js';

/** Registrations at once: each costs the api an argon2id hash and its sign-in another. */
const PARALLEL = 8;

/** A customer signed in on a trusted phone, stepped up (10 minutes of sandbox time), with a card. */
export interface CardCustomer {
  userId: string;
  walletId: string;
  accessToken: string;
  cardId: string;
  /** The customer's own address, sent as X-Forwarded-For (the bench api trusts the loopback proxy). */
  ip: string;
  /** When the sign-in passed the second factor (ms, machine clock): money-moving calls work for 10 minutes after. */
  steppedUpAtMs: number;
  email: string;
  password: string;
  /** The trusted phone. */
  deviceId: string;
}

/**
 * Customer n's address: 10.77.0.1, 10.77.1.1, … 10.78.0.1, … (a private range, which the fraud rules take as
 * domestic), each in a /24 of its own: registrations count per /24 too, 60 an hour, as one household's would.
 */
export function customerIp(n: number): string {
  return `10.${77 + Math.floor(n / 250)}.${n % 250}.1`;
}

/**
 * Onboards one customer the way the app does (docs/identity-and-security.md): register,
 * sign in on a new phone, pass the SMS challenge (which trusts the phone and
 * steps the session up), add a card.
 */
async function onboard(api: ApiClient, sandbox: Sandbox, n: number, cardNumber: string): Promise<CardCustomer> {
  const ip = customerIp(n);
  const app: ExtraHeaders = { 'x-publishable-key': sandbox.publishableKey, 'x-forwarded-for': ip };
  const tag = `${process.pid}${String(n).padStart(5, '0')}`;
  const who = {
    email: `bench-${tag}@example.test`,
    password: `violet-harbour-${tag}-lantern`,
    phone: `+8190${tag.padStart(8, '0').slice(-8)}`,
  };
  const deviceId = randomUUID();
  const registered = await api.post<{ userId: string; walletId: string }>('/v1/auth/register', null, who, app);
  const login = await api.post<{ mfaRequired?: boolean; challengeId?: string }>(
    '/v1/auth/login',
    null,
    { email: who.email, password: who.password, deviceId },
    app,
  );
  if (!login.mfaRequired || !login.challengeId) throw new Error(`a new phone's sign-in asked for no second factor`);
  const sms = await api.get<{ data: Array<{ body: string }> }>(
    `/v1/sandbox/messages?to=${encodeURIComponent(who.phone)}&limit=1`,
    sandbox.secretKey,
  );
  const code = sms.data[0]?.body.match(/\b(\d{6})\b/)?.[1];
  if (!code) throw new Error(`no code was sent to ${who.phone}`);
  const steppedUpAtMs = Date.now();
  const tokens = await api.post<{ accessToken: string }>('/v1/auth/mfa/verify', null, { challengeId: login.challengeId, code }, app);
  const card = await api.post<{ id: string }>(
    '/v1/cards',
    tokens.accessToken,
    { number: cardNumber, expMonth: 12, expYear: 2031, cvc: '123' },
    { 'x-forwarded-for': ip },
  );
  return { ...registered, accessToken: tokens.accessToken, cardId: card.id, ip, steppedUpAtMs, ...who, deviceId };
}

/**
 * Signs the customer in again on the trusted phone, as on any day after the first: no second factor, so the
 * session is not stepped up and pays within the sandbox's step-up allowance. Answers the new access token.
 */
export async function signInAgain(api: ApiClient, sandbox: Sandbox, customer: CardCustomer): Promise<string> {
  const app: ExtraHeaders = { 'x-publishable-key': sandbox.publishableKey, 'x-forwarded-for': customer.ip };
  const login = await api.post<{ accessToken?: string }>(
    '/v1/auth/login',
    null,
    { email: customer.email, password: customer.password, deviceId: customer.deviceId },
    app,
  );
  if (!login.accessToken) throw new Error(`a trusted phone's sign-in asked for a second factor`);
  return login.accessToken;
}

/** `count` customers with a card each, onboarded through the api, PARALLEL at a time; numbered from `first` (distinct in one sandbox). */
export async function onboardCardCustomers(
  api: ApiClient,
  sandbox: Sandbox,
  count: number,
  cardNumber: string,
  first = 0,
): Promise<CardCustomer[]> {
  const customers: CardCustomer[] = [];
  await forEachConcurrently(
    `onboard ${count.toLocaleString('en-US')} customers (HTTP)`,
    Array.from({ length: count }, (_, n) => first + n),
    PARALLEL,
    async (n) => {
      customers.push(await onboard(api, sandbox, n, cardNumber));
    },
  );
  return customers;
}
