import type { Secrets } from '#core';

/** Wrong codes a 3-D Secure challenge takes before the top-up fails. */
export const THREE_DS_TRIES = 3;
/** A 3-D Secure challenge waits 15 minutes of sandbox time for its code; then the top-up fails. */
export const THREE_DS_SECONDS = 15 * 60;

/** What a top-up keeps of its 3-D Secure code: a keyed hash, never the code. */
export function threeDsHash(secrets: Secrets, topupId: string, code: string): string {
  return secrets.derive(`3ds/${topupId}/${code}`).toString('hex');
}
