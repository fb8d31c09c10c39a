import { Injectable, Logger } from '@nestjs/common';
import type { SandboxContext } from '../auth/principal.js';
import type { Tx } from '../database/database.js';
import { RequestContext } from '../http/request-context.js';
import { newId } from '../ids/ids.js';
import type { Topic, TopicPayloads } from '../queue/topics.js';
import { Notices } from '../notices/notices.js';

export interface NewEvent<T extends Topic> {
  sandboxId: string;
  type: T;
  data: TopicPayloads[T];
  /** Sandbox time of the state change. */
  occurredAt: Date;
}

/**
 * Tells relays that outbox rows were committed, so events flow at once
 * rather than at the next poll. Best effort by design: a lost signal only
 * delays an event until the relay's poll.
 */
@Injectable()
export class OutboxSignal {
  private readonly logger = new Logger(OutboxSignal.name);
  private pending = false;

  constructor(private readonly notices: Notices) {}

  wake(): void {
    if (this.pending) return;
    this.pending = true;
    // Coalesce a burst of commits into one message.
    setImmediate(() => {
      this.pending = false;
      this.notices.publish('outbox-committed', '').catch((error: unknown) => this.logger.warn(`wake failed: ${String(error)}`));
    });
  }

  async subscribe(onWake: () => void): Promise<void> {
    await this.notices.subscribe('outbox-committed', { message: onWake, missed: onWake });
  }
}

/** Writes events in the caller's transaction: the state change and its event commit together or not at all. */
@Injectable()
export class Outbox {
  constructor(private readonly signal: OutboxSignal) {}

  async publish<T extends Topic>(tx: Tx, event: NewEvent<T>): Promise<string> {
    const id = newId('evt');
    await tx.rows(
      `INSERT INTO outbox_events (id, sandbox_id, type, data, request_id, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, event.sandboxId, event.type, JSON.stringify(event.data), RequestContext.requestId(), event.occurredAt],
    );
    tx.afterCommit(() => this.signal.wake());
    return id;
  }

  /** Many events of one type in one statement (a payout batch says what happened to each of a thousand claims). */
  async emitMany<T extends Topic>(tx: Tx, sandbox: SandboxContext, type: T, data: Array<TopicPayloads[T]>): Promise<void> {
    if (data.length === 0) return;
    await tx.rows(
      `INSERT INTO outbox_events (id, sandbox_id, type, data, request_id, occurred_at)
       SELECT unnest($1::text[]), $2, $3, unnest($4::jsonb[]), $5, $6`,
      [data.map(() => newId('evt')), sandbox.id, type, data.map((d) => JSON.stringify(d)), RequestContext.requestId(), sandbox.time.now()],
    );
    tx.afterCommit(() => this.signal.wake());
  }

  /** An event of the sandbox, stamped with its time now. */
  emit<T extends Topic>(tx: Tx, sandbox: SandboxContext, type: T, data: TopicPayloads[T]): Promise<string> {
    return this.publish(tx, { sandboxId: sandbox.id, type, data, occurredAt: sandbox.time.now() });
  }
}
