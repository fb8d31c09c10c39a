import { ApiError, type Credential, type SandboxApi } from '../cli/api.js';
import type { CustomerPlan } from './cast.js';
import type { SandboxClock } from './clock.js';

export interface SandboxKeys {
  id: string;
  secretKey: string;
  publishableKey: string;
}

/** A customer as the replay knows them once registered: their plan and what their app holds. */
export interface Member {
  plan: CustomerPlan;
  userId: string;
  walletId: string;
  password: string;
  ip: string;
  deviceId: string;
  cardId: string | null;
  /** Loyalty points left to top up with (1 pt = ¥1). */
  points: number;
  /** On a trip abroad: shops nowhere in Japan until back. */
  abroad: boolean;
  session: Session | null;
  /** Since the operator's forced reset (07-30), the old password no longer signs in. */
  mustResetPassword: boolean;
  takenOver: boolean;
  /** Closed their membership: signs in no more, and gave up the refund right. */
  closed: boolean;
}

interface Session {
  accessToken: string;
  refreshToken: string;
  /** Sandbox time (ms) the access token stops working. */
  expiresAtMs: number;
}

/** What a call came to: its answer, or the code of the api's refusal. Anything else (a 5xx, a dead api) is thrown. */
export type Answer<T> = { ok: true; value: T } | { ok: false; code: string };

export async function answer<T>(call: Promise<T>): Promise<Answer<T>> {
  try {
    return { ok: true, value: await call };
  } catch (error) {
    if (error instanceof ApiError && error.status < 500) return { ok: false, code: error.code };
    throw error;
  }
}

/** Renewed this long before the access token runs out, so no call races its expiry. */
const TOKEN_MARGIN_MS = 60_000;

/**
 * The wallet app on a customer's phone: it signs in (through the password
 * reset when the operator forced one), keeps its session fresh and makes
 * the customer's calls from the phone's own network.
 */
export class CustomerApp {
  constructor(
    private readonly api: SandboxApi,
    private readonly keys: SandboxKeys,
    private readonly clock: SandboxClock,
  ) {}

  async register(plan: CustomerPlan): Promise<Answer<{ userId: string; walletId: string }>> {
    const { email, password, phone, birthday } = plan;
    return answer(
      this.api.post('/v1/auth/register', this.beforeSignIn(plan.ip), { email, password, phone, ...(birthday ? { birthday } : {}) }),
    );
  }

  async signIn(m: Member): Promise<void> {
    const login = await answer(this.login(m));
    if (!login.ok && login.code === 'password_reset_required') {
      await this.resetPassword(m);
      m.session = await this.login(m);
    } else if (!login.ok) {
      throw new Error(`customer ${m.plan.n} could not sign in: ${login.code}`);
    } else {
      m.session = login.value;
    }
  }

  /** One sign-in with the password the member holds (no reset flow, no retry): the session it opened, or the refusal. */
  async attempt(m: Member): Promise<Answer<Session>> {
    const login = await answer(this.login(m));
    if (login.ok) m.session = login.value;
    return login;
  }

  /** The customer as the api sees them: a fresh access token (refreshed, or signed in anew), from the phone's network. */
  async as(m: Member): Promise<Credential> {
    if (!m.session || m.mustResetPassword) {
      await this.signIn(m);
    } else if (m.session.expiresAtMs - TOKEN_MARGIN_MS < this.clock.now().getTime()) {
      const refreshed = await answer(
        this.api.post<Tokens>('/v1/auth/refresh', this.beforeSignIn(m.ip), { refreshToken: m.session.refreshToken }),
      );
      if (refreshed.ok) m.session = this.session(refreshed.value);
      else await this.signIn(m);
    }
    return { bearer: (m.session as Session).accessToken, forwardedFor: m.ip };
  }

  /** What the app shows the customer, signed in. */
  async get<T>(m: Member, path: string): Promise<Answer<T>> {
    return answer(this.api.get<T>(path, await this.as(m)));
  }

  async delete<T>(m: Member, path: string): Promise<Answer<T>> {
    return answer(this.api.delete<T>(path, await this.as(m)));
  }

  /** A call the customer makes in the app, signed in. */
  async post<T>(m: Member, path: string, body: unknown = {}): Promise<Answer<T>> {
    return answer(this.api.post<T>(path, await this.as(m), body));
  }

  /**
   * The reset flow as 7pay's legacy-2019 profile runs it: the link is mailed
   * once e-mail, phone and birthday (2019-01-01 if never set) match.
   */
  async resetPassword(m: Member): Promise<void> {
    const { email, phone, birthday } = m.plan;
    await this.api.post('/v1/auth/password-reset', this.beforeSignIn(m.ip), { email, phone, ...(birthday ? { birthday } : {}) });
    const token = (await this.inbox(email)).map((mail) => mail.body.match(/token=([0-9A-Za-z]+)/)?.[1]).find(Boolean);
    if (!token) throw new Error(`no reset link reached customer ${m.plan.n}`);
    const newPassword = `${m.plan.password}-new`;
    await this.api.post('/v1/auth/password-reset/confirm', this.beforeSignIn(m.ip), { token, newPassword });
    m.password = newPassword;
    m.mustResetPassword = false;
    m.session = null;
  }

  /** Types in the code the card issuer sent by SMS. */
  async passThreeDSecure(m: Member, topupId: string): Promise<void> {
    const code = await this.smsCode(m.plan.phone);
    const passed = await this.post(m, `/v1/topups/${topupId}/three-d-secure`, { code });
    if (!passed.ok) throw new Error(`customer ${m.plan.n} could not pass 3-D Secure: ${passed.code}`);
  }

  /** The newest six-digit code sent by SMS to the phone. */
  async smsCode(phone: string): Promise<string> {
    const code = (await this.inbox(phone)).map((sms) => sms.body.match(/\b(\d{6})\b/)?.[1]).find(Boolean);
    if (!code) throw new Error(`no code reached ${phone}`);
    return code;
  }

  private login(m: Member): Promise<Session> {
    return this.api
      .post<Tokens>('/v1/auth/login', this.beforeSignIn(m.ip), { email: m.plan.email, password: m.password, deviceId: m.deviceId })
      .then((tokens) => this.session(tokens));
  }

  private inbox(to: string): Promise<Array<{ body: string }>> {
    const path = `/v1/sandbox/messages?to=${encodeURIComponent(to)}&limit=5`;
    return this.api.get<{ data: Array<{ body: string }> }>(path, { bearer: this.keys.secretKey }).then((page) => page.data);
  }

  private beforeSignIn(ip: string): Credential {
    return { publishableKey: this.keys.publishableKey, forwardedFor: ip };
  }

  private session(tokens: Tokens): Session {
    return { ...tokens, expiresAtMs: this.clock.now().getTime() + tokens.expiresIn * 1000 };
  }
}

interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}
