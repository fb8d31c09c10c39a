/**
 * The automatic delivery schedule, in sandbox time: after failed attempt n
 * the next waits 1 minute × 4^(n−1), at most 24 hours. Nine attempts span
 * 70 h 45 min, about three days; no jitter, so tests and demos can predict it.
 */
export const RETRY_DELAYS_SECONDS: readonly number[] = Array.from({ length: 8 }, (_, i) => Math.min(60 * 4 ** i, 86_400));

export const MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;

/** From the first attempt to the last. An endpoint failing this long, with no success between, is disabled. */
export const SCHEDULE_SPAN_SECONDS = RETRY_DELAYS_SECONDS.reduce((sum, delay) => sum + delay, 0);

/** When the attempt after failed attempt `attempt` is due; null after the last. */
export function nextAttemptAfter(attempt: number, failedAt: Date): Date | null {
  const delay = RETRY_DELAYS_SECONDS[attempt - 1];
  return delay === undefined ? null : new Date(failedAt.getTime() + delay * 1000);
}
