import { setTimeout as sleep } from 'node:timers/promises';
import type { SandboxApi } from './api.js';

export interface LoggedEvent {
  id: string;
  type: string;
  createdAt: string;
  data: Record<string, unknown>;
  requestId: string | null;
}

interface Page {
  data: LoggedEvent[];
  has_more: boolean;
}

/** Ids remembered to print each event once; far more than arrive between two polls. */
const REMEMBERED = 5_000;

/**
 * Follows the sandbox's event log by polling it, printing each new event
 * once, oldest first. It compares ids with those already printed rather
 * than keeping a cursor, so an event committed late (a slower transaction
 * with an older id) still shows.
 */
export async function tailEvents(
  api: SandboxApi,
  secretKey: string,
  options: { type?: string; last: number; intervalMs: number; signal: AbortSignal },
  print: (event: LoggedEvent) => void,
): Promise<void> {
  const seen = new Set<string>();
  const query = options.type ? `&type=${encodeURIComponent(options.type)}` : '';
  /** The events not seen yet, oldest first; at the start, only the newest page. */
  const fetchNew = async (limit: number, start = false): Promise<LoggedEvent[]> => {
    const fresh: LoggedEvent[] = [];
    let cursor = '';
    for (;;) {
      const page = await api.get<Page>(`/v1/events?limit=${limit}${query}${cursor}`, { bearer: secretKey });
      const unseen = page.data.filter((event) => !seen.has(event.id));
      fresh.push(...unseen);
      // A page with nothing new means everything older was seen too.
      if (start || !page.has_more || unseen.length < page.data.length) break;
      cursor = `&starting_after=${page.data[page.data.length - 1].id}`;
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
