import { setTimeout as sleep } from 'node:timers/promises';
import type { components, paths } from '@wallet-sandbox/client';
import { type Connection, ok } from '../api.js';
import { say } from '../output.js';

export type LoggedEvent = components['schemas']['EventDto'];
/** The event types the api names. */
export type EventType = NonNullable<NonNullable<paths['/v1/events']['get']['parameters']['query']>['type']>;

/** Ids remembered to print each event once; far more than arrive between two polls. */
const REMEMBERED = 5_000;

/**
 * Follows the sandbox's event log by polling it, printing each new event
 * once, oldest first. It compares ids with those already printed rather
 * than keeping a cursor, so an event committed late (a slower transaction
 * with an older id) still shows.
 */
export async function tailEvents(
  api: Connection,
  options: { type?: string; last: number; intervalMs: number; signal: AbortSignal },
  print: (event: LoggedEvent) => void,
): Promise<void> {
  const seen = new Set<string>();
  /** The events not seen yet, oldest first; at the start, only the newest page. */
  const fetchNew = async (limit: number, start = false): Promise<LoggedEvent[]> => {
    const fresh: LoggedEvent[] = [];
    let startingAfter: string | undefined;
    for (;;) {
      const query = { limit, type: options.type as EventType | undefined, starting_after: startingAfter };
      const page = await ok(api.secret.GET('/v1/events', { params: { query } }));
      const unseen = page.data.filter((event) => !seen.has(event.id));
      fresh.push(...unseen);
      // A page with nothing new means everything older was seen too.
      if (start || !page.has_more || unseen.length < page.data.length) break;
      startingAfter = page.data[page.data.length - 1].id;
    }
    return fresh.reverse();
  };
  const remember = (events: LoggedEvent[]): void => {
    for (const event of events) seen.add(event.id);
    for (const id of seen) {
      if (seen.size <= REMEMBERED) break;
      seen.delete(id);
    }
  };

  // The newest page counts as seen, printed or not: only what comes after it is new.
  const history = await fetchNew(100, true);
  history.slice(Math.max(0, history.length - options.last)).forEach(print);
  remember(history);
  while (!options.signal.aborted) {
    await sleep(options.intervalMs, undefined, { signal: options.signal }).catch(() => undefined);
    if (options.signal.aborted) break;
    const events = await fetchNew(100);
    events.forEach(print);
    remember(events);
  }
}

/** `events tail`: until Ctrl-C. */
export async function tail(api: Connection, options: { type?: string; last: number; interval: number; json?: boolean }): Promise<void> {
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  await tailEvents(api, { ...options, intervalMs: options.interval, signal: stop.signal }, (event) =>
    say(options.json ? JSON.stringify(event) : `${event.createdAt}  ${event.type.padEnd(28)} ${event.id}  ${JSON.stringify(event.data)}`),
  );
}
