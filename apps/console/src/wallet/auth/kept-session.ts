import type { Schemas } from '@wallet-sandbox/client';
import { client } from '../../api.js';

type Tokens = Schemas['TokensDto'];

/** Why the panel went back to the sign-in screen on its own, shown there. */
export type SignedOutReason = 'session_ended' | 'password_changed';

export interface SessionKeeperOptions {
  publishableKey: string;
  /** The tokens the panel holds right now. */
  tokens: () => Tokens | null;
  /** A refresh rotated the tokens: keep the new ones. */
  renewed: (tokens: Tokens) => void;
  /** The session is over (ended elsewhere, by a reset, a takeover…): sign the panel out, saying so. */
  ended: (reason: SignedOutReason) => void;
}

/** Calls whose 401 answers what was sent (a wrong code), not whether the session lives. */
const NOT_ABOUT_THE_SESSION = new Set(['/v1/auth/mfa/verify', '/v1/auth/refresh']);

/**
 * The `fetch` of a signed-in panel's calls. A 401 means the access token no
 * longer opens anything: it expired (15 minutes of sandbox time) or its
 * session ended elsewhere. The refresh token tells which: a new pair, and the
 * call is sent again with it; or a refusal, and the panel is signed out with
 * a notice instead of failing silently. Every screen of the panel gets this
 * by calling through `wallet.api()`.
 *
 * One refresh at a time: a refresh token used twice revokes its session.
 */
export function sessionKeeper(options: SessionKeeperOptions): (request: Request) => Promise<Response> {
  let renewing: Promise<Tokens | null> | null = null;

  const renew = (stale: Tokens): Promise<Tokens | null> => {
    renewing ??= (async () => {
      try {
        const reply = await client({ publishableKey: options.publishableKey }).POST('/v1/auth/refresh', {
          body: { refreshToken: stale.refreshToken },
        });
        if (reply.data) {
          options.renewed(reply.data);
          return reply.data;
        }
        // Still the same session in the panel (no sign-in meanwhile), and the API says it is over.
        if (reply.response.status === 401 && options.tokens() === stale) options.ended('session_ended');
        return null;
      } catch {
        return null; // no answer: nothing is known about the session
      } finally {
        renewing = null;
      }
    })();
    return renewing;
  };

  return async (request) => {
    const retry = request.clone();
    const response = await fetch(request);
    if (response.status !== 401 || NOT_ABOUT_THE_SESSION.has(new URL(request.url).pathname)) return response;
    const current = options.tokens();
    if (!current) return response;
    // Sent with a token already replaced (a held client, or a refresh meanwhile): the current one may still work.
    const sentCurrent = request.headers.get('Authorization') === `Bearer ${current.accessToken}`;
    const fresh = sentCurrent ? await renew(current) : current;
    if (!fresh) return response;
    retry.headers.set('Authorization', `Bearer ${fresh.accessToken}`);
    return fetch(retry);
  };
}
