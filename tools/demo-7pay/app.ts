import type { Schemas, WalletSandboxClient } from '@wallet-sandbox/client';
import { type Answer, type Credential, type Reply, type SandboxApi, answer, must } from './api.js';
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

/** Renewed this long before the access token runs out, so no call races its expiry. */
const TOKEN_MARGIN_MS = 60_000;

/**
 * The wallet app on a customer's phone: it signs in (through the password
 * reset when the operator forced one), keeps its session fresh and makes
 * the customer's calls from the phone's own network.
 */
export class CustomerApp {
  /** The operator's view of the sandbox's outbox of e-mails and SMS. */
  private readonly messages: WalletSandboxClient;

  constructor(
    private readonly api: SandboxApi,
    private readonly keys: SandboxKeys,
    private readonly clock: SandboxClock,
  ) {
    this.messages = api.as({ bearer: keys.secretKey });
  }

  async register(plan: CustomerPlan): Promise<Answer<Schemas['RegisteredDto']>> {
    const { email, password, phone, birthday } = plan;
    return answer(
      this.beforeSignIn(plan.ip).POST('/v1/auth/register', { body: { email, password, phone, ...(birthday ? { birthday } : {}) } }),
    );
  }

  async signIn(m: Member): Promise<void> {
    const login = await this.login(m);
    if (!login.ok && login.code === 'password_reset_required') {
      await this.resetPassword(m);
      m.session = await this.openedSession(m);
    } else if (!login.ok) {
      throw new Error(`customer ${m.plan.n} could not sign in: ${login.code}`);
    } else {
      m.session = login.value;
    }
  }

  /** One sign-in with the password the member holds (no reset flow, no retry): the session it opened, or the refusal. */
  async attempt(m: Member): Promise<Answer<Session>> {
    const login = await this.login(m);
    if (login.ok) m.session = login.value;
    return login;
  }

  /** The customer as the api sees them: a fresh access token (refreshed, or signed in anew), from the phone's network. */
  async as(m: Member): Promise<Credential> {
    if (!m.session || m.mustResetPassword) {
      await this.signIn(m);
    } else if (m.session.expiresAtMs - TOKEN_MARGIN_MS < this.clock.now().getTime()) {
      const refreshToken = m.session.refreshToken;
      const refreshed = await answer(this.beforeSignIn(m.ip).POST('/v1/auth/refresh', { body: { refreshToken } }));
      if (refreshed.ok) m.session = this.session(refreshed.value);
      else await this.signIn(m);
    }
    return { bearer: (m.session as Session).accessToken, forwardedFor: m.ip };
  }

  /** A call the customer makes in the app, signed in: `call` gets the api as the customer's phone reaches it. */
  async call<T>(m: Member, call: (app: WalletSandboxClient) => Promise<Reply<T>>): Promise<Answer<T>> {
    return answer(call(this.api.as(await this.as(m))));
  }

  /**
   * The reset flow as 7pay's legacy-2019 profile runs it: the link is mailed
   * once e-mail, phone and birthday (2019-01-01 if never set) match.
   */
  async resetPassword(m: Member): Promise<void> {
    const { email, phone, birthday } = m.plan;
    const app = this.beforeSignIn(m.ip);
    await must(app.POST('/v1/auth/password-reset', { body: { email, phone, ...(birthday ? { birthday } : {}) } }));
    const token = (await this.inbox(email)).map((mail) => mail.body.match(/token=([0-9A-Za-z]+)/)?.[1]).find(Boolean);
    if (!token) throw new Error(`no reset link reached customer ${m.plan.n}`);
    const newPassword = `${m.plan.password}-new`;
    await must(app.POST('/v1/auth/password-reset/confirm', { body: { token, newPassword } }));
    m.password = newPassword;
    m.mustResetPassword = false;
    m.session = null;
  }

  /** Types in the code the card issuer sent by SMS. */
  async passThreeDSecure(m: Member, topupId: string): Promise<void> {
    const code = await this.smsCode(m.plan.phone);
    const passed = await this.call(m, (app) =>
      app.POST('/v1/topups/{id}/three-d-secure', { params: { path: { id: topupId } }, body: { code } }),
    );
    if (!passed.ok) throw new Error(`customer ${m.plan.n} could not pass 3-D Secure: ${passed.code}`);
  }

  /** The newest six-digit code sent by SMS to the phone. */
  async smsCode(phone: string): Promise<string> {
    const code = (await this.inbox(phone)).map((sms) => sms.body.match(/\b(\d{6})\b/)?.[1]).find(Boolean);
    if (!code) throw new Error(`no code reached ${phone}`);
    return code;
  }

  /** A sign-in from the member's phone, with the password they hold. */
  private async login(m: Member): Promise<Answer<Session>> {
    const { email } = m.plan;
    const { password, deviceId } = m;
    const login = await answer(this.beforeSignIn(m.ip).POST('/v1/auth/login', { body: { email, password, deviceId } }));
    if (!login.ok) return login;
    const { accessToken, refreshToken, expiresIn } = login.value;
    // legacy-2019 lets a right password in on any phone: it never asks a second factor at sign-in.
    if (!accessToken || !refreshToken || !expiresIn) throw new Error(`customer ${m.plan.n} was asked a second factor at sign-in`);
    return { ok: true, value: this.session({ accessToken, refreshToken, expiresIn }) };
  }

  /** A sign-in that must open a session. */
  private async openedSession(m: Member): Promise<Session> {
    const login = await this.login(m);
    if (!login.ok) throw new Error(`customer ${m.plan.n} could not sign in after the reset: ${login.code}`);
    return login.value;
  }

  private async inbox(to: string): Promise<Schemas['MessageDto'][]> {
    const page = await must(this.messages.GET('/v1/sandbox/messages', { params: { query: { to, limit: 5 } } }));
    return page.data;
  }

  /** The app before its customer signs in: the sandbox's publishable key, from the phone's network. */
  private beforeSignIn(ip: string): WalletSandboxClient {
    return this.api.as({ publishableKey: this.keys.publishableKey, forwardedFor: ip });
  }

  private session(tokens: Schemas['TokensDto']): Session {
    return { ...tokens, expiresAtMs: this.clock.now().getTime() + tokens.expiresIn * 1000 };
  }
}
