import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
// The signing alone, not the webhooks module: it needs nothing but node:crypto.
import { deliveryHeaders } from '../../../../libs/webhooks/src/signature.js';
import { type Answer, ApiError, type Connection, ok } from '../api.js';
import { say } from '../output.js';

export interface ListenOptions {
  forwardTo: string;
  events?: string;
  json?: boolean;
}

/** One message of a `text/event-stream`. */
interface StreamedEvent {
  id: string;
  type: string;
  /** The event's JSON, byte for byte what a webhook delivery POSTs. */
  data: string;
}

/**
 * The signing secret of `listen`'s deliveries: derived from the sandbox's
 * secret key, so it stays the same from run to run with nothing stored on
 * either side, and changes when the key does.
 */
export function listenSecret(secretKey: string): string {
  return `whsec_${createHmac('sha256', secretKey).update('wallet-sandbox listen').digest('base64')}`;
}

/** `--events payment.captured,topup.*`: the types to forward; every type when none is given or one is `*`. */
function eventFilter(list: string | undefined): (type: string) => boolean {
  const patterns = (list ?? '*')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (patterns.length === 0 || patterns.includes('*')) return () => true;
  return (type) => patterns.some((p) => p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
}

/**
 * Follows the sandbox's event stream and POSTs each event to a local URL as
 * a webhook delivery would arrive: the same body and signature headers
 * (Wallet-Signature, and Standard Webhooks' webhook-id, -timestamp, -signature),
 * signed with the listen secret. A dropped stream is resumed after the last
 * event seen (`Last-Event-ID`), so nothing is missed or sent twice; a new
 * run starts with the events after it starts.
 */
export async function listen(api: Connection, options: ListenOptions): Promise<void> {
  const secret = listenSecret(api.settings.secretKey);
  const wanted = eventFilter(options.events);
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());

  // Resuming from the newest event, rather than from "now", leaves no gap if the first connection drops before any event.
  let lastId = (await ok(api.secret.GET('/v1/events', { params: { query: { limit: 1 } } }))).data[0]?.id;
  let connections = 0;
  while (!stop.signal.aborted) {
    try {
      const answer = await api.secret.GET('/v1/events/stream', {
        parseAs: 'stream',
        headers: lastId ? { 'Last-Event-ID': lastId } : {},
        signal: stop.signal,
      });
      if (!answer.response.ok) await ok(answer as Answer<unknown>);
      connections += 1;
      if (connections === 1) {
        if (options.json) say(JSON.stringify({ ready: true, secret, forwardTo: options.forwardTo }));
        else say(`Ready! Your webhook signing secret is ${secret} (^C to quit)`);
      } else {
        process.stderr.write(`reconnected, resuming after ${lastId ?? 'the start'}\n`);
      }
      for await (const event of serverSentEvents(answer.response.body!)) {
        if (wanted(event.type)) print(await forward(options.forwardTo, secret, event), options.json);
        lastId = event.id;
      }
    } catch (error) {
      if (stop.signal.aborted) break;
      // A refusal (a wrong key, a bad cursor) will not mend itself; a lost connection or a restarting api will.
      if (error instanceof ApiError && error.status < 500 && error.status !== 429) throw error;
      process.stderr.write(`the event stream dropped (${(error as Error).message}); reconnecting\n`);
    }
    await sleep(1_000, undefined, { signal: stop.signal }).catch(() => undefined);
  }
}

interface Forwarded {
  at: string;
  type: string;
  id: string;
  /** The receiver's HTTP status, or why nothing answered. */
  status: number | string;
  ms: number;
}

async function forward(url: string, secret: string, event: StreamedEvent): Promise<Forwarded> {
  const at = new Date();
  const timestamp = Math.floor(at.getTime() / 1000);
  let status: number | string;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'WalletSandbox-CLI-listen/1',
        // Signed as the sender signs: Wallet-Signature and the Standard Webhooks headers, webhook-id the event's id.
        ...deliveryHeaders({ id: event.id, timestamp, body: event.data, secrets: [secret] }),
        'Wallet-Event-Id': event.id,
      },
      body: event.data,
      signal: AbortSignal.timeout(30_000),
    });
    await response.arrayBuffer();
    status = response.status;
  } catch (error) {
    status = `error (${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message})`;
  }
  return { at: at.toISOString(), type: event.type, id: event.id, status, ms: Date.now() - at.getTime() };
}

function print(delivery: Forwarded, json?: boolean): void {
  if (json) return say(JSON.stringify(delivery));
  say(`${delivery.at}  ${delivery.type.padEnd(28)} ${delivery.id}  ${delivery.status}  ${delivery.ms} ms`);
}

/** The events of a `text/event-stream` body, as they arrive; comments (heartbeats) and `retry:` lines are skipped. */
async function* serverSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<StreamedEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields: Record<string, string[]> = {};
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        if (colon <= 0) continue;
        const value = line.slice(colon + 1);
        (fields[line.slice(0, colon)] ??= []).push(value.startsWith(' ') ? value.slice(1) : value);
      }
      if (fields.id && fields.data) yield { id: fields.id[0], type: fields.event?.[0] ?? 'message', data: fields.data.join('\n') };
    }
  }
}
