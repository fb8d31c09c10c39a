import { useEffect, useState } from 'react';
import type { Schemas } from '@wallet-sandbox/client';
import { useLatest } from '../../components/use-latest.js';

export type SandboxEvent = Schemas['EventDto'];
export type StreamState = 'connecting' | 'live' | 'reconnecting';

const RECONNECT_MS = 2_000;

/** Splits a server-sent event stream into its events (blank-line separated blocks); comments (heartbeats) are skipped. */
export function parseEventBlocks(buffer: string): { events: Array<{ id?: string; data: string }>; rest: string } {
  const events: Array<{ id?: string; data: string }> = [];
  const blocks = buffer.replace(/\r\n?/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      if (field === 'data') data.push(value);
    }
    if (data.length > 0) events.push({ id, data: data.join('\n') });
  }
  return { events, rest };
}

/**
 * Follows `GET /v1/events/stream` from `after` on. EventSource cannot send
 * the Authorization header, so the stream is read with fetch, which keeps
 * the secret key out of the URL; after a drop it resumes with
 * `Last-Event-ID`, so no event is lost or repeated.
 */
export function useEventStream(secretKey: string, after: string | null | undefined, onEvent: (event: SandboxEvent) => void): StreamState {
  const [state, setState] = useState<StreamState>('connecting');
  const latest = useLatest(onEvent);
  useEffect(() => {
    // undefined: the list that gives the starting point is still loading.
    if (after === undefined) return;
    const abort = new AbortController();
    let lastId = after;
    const follow = async (): Promise<void> => {
      while (!abort.signal.aborted) {
        try {
          const headers: Record<string, string> = { authorization: `Bearer ${secretKey}`, accept: 'text/event-stream' };
          const response = await fetch('/v1/events/stream', {
            headers: lastId ? { ...headers, 'last-event-id': lastId } : headers,
            signal: abort.signal,
          });
          if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
          setState('live');
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            const parsed = parseEventBlocks(buffer + value);
            buffer = parsed.rest;
            for (const event of parsed.events) {
              if (event.id) lastId = event.id;
              latest.current(JSON.parse(event.data) as SandboxEvent);
            }
          }
        } catch {
          if (abort.signal.aborted) return;
        }
        setState('reconnecting');
        await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
      }
    };
    void follow();
    return () => abort.abort();
  }, [secretKey, after, latest]);
  return state;
}
