import { Injectable } from '@nestjs/common';
import { Database, type Queryable } from '../database/database.js';
import type { Topic } from '../queue/topics.js';

export interface StoredEvent {
  id: string;
  sandboxId: string;
  type: Topic;
  data: Record<string, unknown>;
  requestId: string | null;
  occurredAt: Date;
  relayedAt: Date | null;
}

interface EventRow {
  id: string;
  sandbox_id: string;
  type: Topic;
  data: Record<string, unknown>;
  request_id: string | null;
  occurred_at: Date;
  relayed_at: Date | null;
}

const toEvent = (row: EventRow): StoredEvent => ({
  id: row.id,
  sandboxId: row.sandbox_id,
  type: row.type,
  data: row.data,
  requestId: row.request_id,
  occurredAt: row.occurred_at,
  relayedAt: row.relayed_at,
});

export interface EventQuery {
  limit: number;
  startingAfter?: string;
  type?: string;
}

/** Reads the outbox as the sandbox's event log, newest first. */
@Injectable()
export class EventLog {
  constructor(private readonly db: Database) {}

  async list(sandboxId: string, query: EventQuery): Promise<{ data: StoredEvent[]; hasMore: boolean }> {
    const rows = await this.db.rows<EventRow>(
      `SELECT * FROM outbox_events
        WHERE sandbox_id = $1
          AND ($2::text IS NULL OR id < $2)
          AND ($3::text IS NULL OR type = $3)
        ORDER BY id DESC
        LIMIT $4`,
      [sandboxId, query.startingAfter ?? null, query.type ?? null, query.limit + 1],
    );
    return { data: rows.slice(0, query.limit).map(toEvent), hasMore: rows.length > query.limit };
  }

  /** Events after an id, oldest first: what a stream sends next. */
  async after(sandboxId: string, afterId: string | null, limit: number): Promise<StoredEvent[]> {
    const rows = await this.db.rows<EventRow>(
      `SELECT * FROM outbox_events
        WHERE sandbox_id = $1 AND ($2::text IS NULL OR id > $2)
        ORDER BY id
        LIMIT $3`,
      [sandboxId, afterId, limit],
    );
    return rows.map(toEvent);
  }

  /** The newest event's id, where a stream that resumes from nothing starts. */
  async newestId(sandboxId: string): Promise<string | null> {
    const [row] = await this.db.rows<{ id: string }>(`SELECT id FROM outbox_events WHERE sandbox_id = $1 ORDER BY id DESC LIMIT 1`, [
      sandboxId,
    ]);
    return row?.id ?? null;
  }

  async get(sandboxId: string, id: string, q: Queryable = this.db): Promise<StoredEvent | null> {
    const [row] = await q.rows<EventRow>(`SELECT * FROM outbox_events WHERE sandbox_id = $1 AND id = $2`, [sandboxId, id]);
    return row ? toEvent(row) : null;
  }
}
