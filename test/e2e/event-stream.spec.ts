import { describe, expect, test } from '@jest/globals';
import { EventStreams } from '#webhooks';
import { type SandboxKeys, useHarness } from '../support/harness.js';

const h = useHarness();

interface StreamedEvent {
  id: string;
  event: string;
  data: { id: string; type: string; object: string; data: Record<string, unknown> };
}

/** A client of GET /v1/events/stream reading with fetch, as the console does; it collects every event and comment. */
class StreamClient {
  readonly events: StreamedEvent[] = [];
  readonly comments: string[] = [];
  private readonly abort = new AbortController();
  private waiters: Array<() => void> = [];
  done!: Promise<void>;
  status = 0;
  contentType = '';

  static async open(path: string, headers: Record<string, string>): Promise<StreamClient> {
    const client = new StreamClient();
    const response = await fetch(`${h.url}${path}`, { headers, signal: client.abort.signal });
    client.status = response.status;
    client.contentType = response.headers.get('content-type') ?? '';
    client.done = response.ok ? client.read(response.body!) : response.text().then(() => undefined);
    return client;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields: Record<string, string> = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
            const at = line.indexOf(': ');
            if (at > 0) fields[line.slice(0, at)] = line.slice(at + 2);
          }
          if (fields.data) this.events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
          this.waiters.forEach((wake) => wake());
        }
      }
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    }
  }

  async until(count: number, timeoutMs = 10_000): Promise<StreamedEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < count) {
      if (Date.now() > deadline) throw new Error(`only ${this.events.length} of ${count} events arrived`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
    return this.events;
  }

  close(): void {
    this.abort.abort();
  }
}

const auth = (sandbox: SandboxKeys, extra: Record<string, string> = {}): Record<string, string> => ({
  authorization: `Bearer ${sandbox.secretKey}`,
  ...extra,
});

async function allEvents(sandbox: SandboxKeys): Promise<Array<{ id: string; type: string }>> {
  const reply = await h.get('/v1/events?limit=100', { token: sandbox.secretKey });
  return (reply.body.data as Array<{ id: string; type: string }>).slice().reverse();
}

describe('GET /v1/events/stream', () => {
  test('new events arrive as they are committed, each as the JSON of GET /v1/events/:id', async () => {
    const sandbox = await h.createSandbox();
    await h.createWallet(sandbox, 500);
    const before = await allEvents(sandbox);
    const stream = await StreamClient.open('/v1/events/stream', auth(sandbox));
    expect(stream.status).toBe(200);
    expect(stream.contentType).toMatch(/^text\/event-stream/);
    try {
      const started = Date.now();
      await h.createWallet(sandbox, 700);
      const after = await allEvents(sandbox);
      const fresh = after.slice(before.length);
      expect(fresh.length).toBeGreaterThan(0);
      const received = await stream.until(fresh.length);
      // Woken by the commit notice, not by the 5-second poll.
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(received.map((e) => e.id)).toEqual(fresh.map((e) => e.id));
      for (const event of received) {
        expect(event.event).toBe(event.data.type);
        expect(event.data).toEqual((await h.get(`/v1/events/${event.id}`, { token: sandbox.secretKey })).body);
      }
      expect(received.some((e) => e.event === 'wallet.funded' && e.data.data.amount === 700)).toBe(true);
    } finally {
      stream.close();
    }
  });

  test('resumes after Last-Event-ID or ?after= without losing or repeating an event', async () => {
    const sandbox = await h.createSandbox();
    await h.createWallet(sandbox, 100);
    await h.createWallet(sandbox, 200);
    await h.createWallet(sandbox, 300);
    const log = await allEvents(sandbox);
    expect(log.length).toBeGreaterThanOrEqual(3);
    const cut = Math.floor(log.length / 2);
    const expected = log.slice(cut + 1).map((e) => e.id);

    const byHeader = await StreamClient.open('/v1/events/stream', auth(sandbox, { 'last-event-id': log[cut].id }));
    const byQuery = await StreamClient.open(`/v1/events/stream?after=${log[cut].id}`, auth(sandbox));
    try {
      expect((await byHeader.until(expected.length)).map((e) => e.id)).toEqual(expected);
      expect((await byQuery.until(expected.length)).map((e) => e.id)).toEqual(expected);

      // A new event after the backlog follows it once, on both streams.
      await h.createWallet(sandbox, 400);
      const now = await allEvents(sandbox);
      const all = now.slice(cut + 1).map((e) => e.id);
      expect((await byHeader.until(all.length)).map((e) => e.id)).toEqual(all);
      expect((await byQuery.until(all.length)).map((e) => e.id)).toEqual(all);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(byHeader.events).toHaveLength(all.length);
    } finally {
      byHeader.close();
      byQuery.close();
    }

    const bad = await h.get('/v1/events/stream?after=nope', { token: sandbox.secretKey });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_request');
  });

  test('refuses other credentials and shows one sandbox only its own events', async () => {
    const mine = await h.createSandbox();
    const theirs = await h.createSandbox();
    expect((await h.get('/v1/events/stream')).status).toBe(401);
    expect((await h.get('/v1/events/stream', { token: 'sk_test_nope' })).status).toBe(401);
    const publishable = await h.get('/v1/events/stream', { token: mine.publishableKey });
    expect(publishable.status).toBe(403);

    const earlier = (await allEvents(mine)).length;
    const stream = await StreamClient.open('/v1/events/stream', auth(mine));
    try {
      await h.createWallet(theirs, 900);
      await h.createWallet(mine, 800);
      const own = (await allEvents(mine)).slice(earlier);
      const received = await stream.until(own.length);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(stream.events.map((e) => e.id)).toEqual(own.map((e) => e.id));
      expect(received.every((e) => e.data.data.amount !== 900)).toBe(true);
    } finally {
      stream.close();
    }
  });

  test('a silent stream sends a comment heartbeat', async () => {
    const sandbox = await h.createSandbox();
    const streams = h.api.get(EventStreams);
    streams.heartbeatMs = 300;
    const stream = await StreamClient.open('/v1/events/stream', auth(sandbox));
    try {
      const deadline = Date.now() + 5_000;
      while (!stream.comments.includes('heartbeat') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(stream.comments).toContain('heartbeat');
      expect(stream.events).toHaveLength(0);
    } finally {
      stream.close();
      streams.heartbeatMs = 15_000;
    }
  });

  test('while the api shuts down, open streams end and a new one is refused with 503 service_unavailable', async () => {
    const sandbox = await h.createSandbox();
    const streams = h.api.get(EventStreams);
    const open = await StreamClient.open('/v1/events/stream', auth(sandbox));
    streams.beforeApplicationShutdown();
    try {
      await open.done;
      const refused = await h.get('/v1/events/stream', { token: sandbox.secretKey });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(refused.body).toMatchObject({ status: 503, code: 'service_unavailable' });
    } finally {
      // The rest of this file streams from the same api, which is not really going away.
      (streams as unknown as { closing: boolean }).closing = false;
    }
  });

  test('a stream closed by the client is let go', async () => {
    const sandbox = await h.createSandbox();
    const streams = h.api.get(EventStreams);
    const before = streams.size;
    const stream = await StreamClient.open('/v1/events/stream', auth(sandbox));
    expect(streams.size).toBe(before + 1);
    stream.close();
    const deadline = Date.now() + 5_000;
    while (streams.size > before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(streams.size).toBe(before);

    // Left open on purpose: the harness's shutdown after this file must end it rather than wait for it.
    await StreamClient.open('/v1/events/stream', auth(sandbox));
    expect(streams.size).toBe(before + 1);
  });
});
