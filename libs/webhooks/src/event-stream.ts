import type { ServerResponse } from 'node:http';
import { Injectable, type BeforeApplicationShutdown, Logger, type OnModuleInit } from '@nestjs/common';
import { EventLog, OutboxSignal, PROBLEM_CONTENT_TYPE, problemOf } from '#core';
import { eventView } from './event-view.js';

/** Without a notice (lost, or another deployment's relay), a stream still looks this often. */
const POLL_MS = 5_000;
/** Events of concurrent transactions can commit out of id order; a stream looks back this far for late ones. */
const SETTLE_MS = 5_000;
const BATCH = 100;

export interface StreamOptions {
  sandboxId: string;
  /** Send the events after this id; null: only the events from now on. */
  afterId: string | null;
  response: ServerResponse;
  /** Headers already set on the reply (the request id). */
  headers: Record<string, string>;
}

/**
 * The sandbox's events as server-sent events. One subscription per process
 * to the outbox's commit notice wakes every open stream; each stream then
 * reads the log after its cursor, so a lost notice only delays an event
 * until the next poll. Streams end at shutdown so they never hold it up.
 */
@Injectable()
export class EventStreams implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(EventStreams.name);
  private readonly open = new Set<{ wake(): void; end(): void }>();
  private closing = false;
  /** A comment line after this much silence keeps proxies from closing the connection. */
  heartbeatMs = 15_000;

  constructor(
    private readonly events: EventLog,
    private readonly signal: OutboxSignal,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.signal.subscribe(() => this.open.forEach((stream) => stream.wake()));
  }

  beforeApplicationShutdown(): void {
    this.closing = true;
    this.open.forEach((stream) => stream.end());
  }

  get size(): number {
    return this.open.size;
  }

  async serve(options: StreamOptions): Promise<void> {
    const { response, sandboxId } = options;
    if (this.closing) {
      const problem = problemOf('service_unavailable', 'The api is shutting down; reconnect in a moment');
      response
        .writeHead(problem.status, { ...options.headers, 'content-type': PROBLEM_CONTENT_TYPE, 'retry-after': '1' })
        .end(JSON.stringify(problem.body));
      return;
    }
    let floor = options.afterId ?? (await this.events.newestId(sandboxId));
    /** Recently sent ids and when: the look-back window that catches late commits without repeating an event. */
    const recent = new Map<string, number>();
    let ended = false;
    let wakeUp: (() => void) | null = null;
    let woken: boolean;
    const stream = {
      wake: (): void => {
        woken = true;
        wakeUp?.();
      },
      end: (): void => {
        if (ended) return;
        ended = true;
        wakeUp?.();
        response.end();
      },
    };
    this.open.add(stream);
    response.on('close', stream.end);
    response.writeHead(200, {
      ...options.headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.write(`retry: 2000\n: events of ${sandboxId}\n\n`);
    let lastWrite = Date.now();
    try {
      while (!ended) {
        woken = false;
        const now = Date.now();
        for (const [id, at] of recent) {
          if (now - at < SETTLE_MS) continue;
          recent.delete(id);
          if (floor === null || id > floor) floor = id;
        }
        let batch: Awaited<ReturnType<EventLog['after']>>;
        let cursor = floor;
        do {
          batch = await this.events.after(sandboxId, cursor, BATCH);
          for (const event of batch) {
            cursor = event.id;
            if (recent.has(event.id) || ended) continue;
            recent.set(event.id, Date.now());
            response.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(eventView(event))}\n\n`);
            lastWrite = Date.now();
          }
        } while (batch.length === BATCH && !ended);
        if (ended) break;
        if (Date.now() - lastWrite >= this.heartbeatMs - 100) {
          response.write(`: heartbeat\n\n`);
          lastWrite = Date.now();
        }
        if (woken) continue;
        const waitMs = Math.min(POLL_MS, Math.max(0, this.heartbeatMs - (Date.now() - lastWrite)));
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, waitMs);
          wakeUp = (): void => {
            clearTimeout(timer);
            resolve();
          };
        });
        wakeUp = null;
      }
    } catch (error) {
      this.logger.warn(`event stream of ${sandboxId} ended: ${String(error)}`);
    } finally {
      this.open.delete(stream);
      stream.end();
    }
  }
}
