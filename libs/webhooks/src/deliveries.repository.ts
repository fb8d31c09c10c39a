import { Injectable } from '@nestjs/common';
import { Database, type Queryable, type Tx, newId } from '#core';
import type { DeliveryError } from './webhook-sender.js';

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'canceled';

/** One event owed to one endpoint, with its automatic schedule in sandbox time. */
export interface Delivery {
  sandboxId: string;
  id: string;
  eventId: string;
  endpointId: string;
  /** The exact bytes every attempt sends. */
  body: string;
  status: DeliveryStatus;
  /** Automatic attempts made so far. */
  attempts: number;
  /** When the next automatic attempt is due; null when none is scheduled. */
  nextAttemptAt: Date | null;
  createdAt: Date;
}

interface DeliveryRow {
  sandbox_id: string;
  id: string;
  event_id: string;
  endpoint_id: string;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date | null;
  created_at: Date;
}

const toDelivery = (row: DeliveryRow): Delivery => ({
  sandboxId: row.sandbox_id,
  id: row.id,
  eventId: row.event_id,
  endpointId: row.endpoint_id,
  body: row.body,
  status: row.status,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at,
  createdAt: row.created_at,
});

export type AttemptTrigger = 'automatic' | 'manual';

/** One POST, as the delivery log shows it. */
export interface Attempt {
  id: string;
  deliveryId: string;
  eventId: string;
  endpointId: string;
  url: string;
  trigger: AttemptTrigger;
  /** The automatic attempt's number (1 is the first); null for a redelivery. */
  attempt: number | null;
  attemptedAt: Date;
  outcome: 'succeeded' | 'failed';
  httpStatus: number | null;
  error: DeliveryError | null;
  latencyMs: number;
  responseExcerpt: string | null;
  /** When the failure scheduled the next automatic attempt. */
  nextAttemptAt: Date | null;
}

interface AttemptRow {
  id: string;
  delivery_id: string;
  event_id: string;
  endpoint_id: string;
  url: string;
  trigger: AttemptTrigger;
  attempt: number | null;
  attempted_at: Date;
  outcome: 'succeeded' | 'failed';
  http_status: number | null;
  error: DeliveryError | null;
  latency_ms: number;
  response_excerpt: string | null;
  next_attempt_at: Date | null;
}

const toAttempt = (row: AttemptRow): Attempt => ({
  id: row.id,
  deliveryId: row.delivery_id,
  eventId: row.event_id,
  endpointId: row.endpoint_id,
  url: row.url,
  trigger: row.trigger,
  attempt: row.attempt,
  attemptedAt: row.attempted_at,
  outcome: row.outcome,
  httpStatus: row.http_status,
  error: row.error,
  latencyMs: row.latency_ms,
  responseExcerpt: row.response_excerpt,
  nextAttemptAt: row.next_attempt_at,
});

@Injectable()
export class DeliveriesRepository {
  constructor(private readonly db: Database) {}

  /**
   * One delivery per endpoint (a replayed event creates none twice).
   * `scheduled`: the first automatic attempt is due at once; otherwise only
   * redeliveries send it. Returns the event's deliveries to those endpoints.
   */
  async create(
    q: Queryable,
    input: { sandboxId: string; eventId: string; endpointIds: string[]; body: string; at: Date; scheduled: boolean },
  ): Promise<Delivery[]> {
    await q.rows(
      `INSERT INTO webhook_deliveries (sandbox_id, id, event_id, endpoint_id, body, status, next_attempt_at, created_at)
       SELECT $1, id, $2, endpoint_id, $3, 'pending', CASE WHEN $5 THEN $4::timestamptz END, $4
         FROM unnest($6::text[], $7::text[]) AS t (id, endpoint_id)
       ON CONFLICT (sandbox_id, event_id, endpoint_id) DO NOTHING`,
      [input.sandboxId, input.eventId, input.body, input.at, input.scheduled, input.endpointIds.map(() => newId('whd')), input.endpointIds],
    );
    const rows = await q.rows<DeliveryRow>(
      `SELECT * FROM webhook_deliveries WHERE sandbox_id = $1 AND event_id = $2 AND endpoint_id = ANY ($3) ORDER BY id`,
      [input.sandboxId, input.eventId, input.endpointIds],
    );
    return rows.map(toDelivery);
  }

  async find(q: Queryable, sandboxId: string, id: string): Promise<Delivery | null> {
    const [row] = await q.rows<DeliveryRow>(`SELECT * FROM webhook_deliveries WHERE sandbox_id = $1 AND id = $2`, [sandboxId, id]);
    return row ? toDelivery(row) : null;
  }

  /** Deliveries whose next automatic attempt is due on their sandbox's clock; `sandboxId` null for every sandbox. */
  async due(sandboxId: string | null, limit: number): Promise<Array<{ sandboxId: string; id: string; attempt: number }>> {
    const rows = await this.db.rows<{ sandbox_id: string; id: string; attempts: number }>(
      `SELECT d.sandbox_id, d.id, d.attempts FROM webhook_deliveries d JOIN sandbox_clocks c ON c.sandbox_id = d.sandbox_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= c.now AND ($1::text IS NULL OR d.sandbox_id = $1)
        ORDER BY d.next_attempt_at LIMIT $2`,
      [sandboxId, limit],
    );
    return rows.map((row) => ({ sandboxId: row.sandbox_id, id: row.id, attempt: row.attempts + 1 }));
  }

  async recordAttempt(tx: Tx, sandboxId: string, attempt: Omit<Attempt, 'id'>): Promise<void> {
    await tx.rows(
      `INSERT INTO webhook_attempts (sandbox_id, id, delivery_id, event_id, endpoint_id, url, trigger, attempt, attempted_at, outcome,
                                     http_status, error, latency_ms, response_excerpt, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        sandboxId,
        newId('wha'),
        attempt.deliveryId,
        attempt.eventId,
        attempt.endpointId,
        attempt.url,
        attempt.trigger,
        attempt.attempt,
        attempt.attemptedAt,
        attempt.outcome,
        attempt.httpStatus,
        attempt.error,
        attempt.latencyMs,
        attempt.responseExcerpt,
        attempt.nextAttemptAt,
      ],
    );
  }

  /**
   * Settles automatic attempt `attempt`: succeeded, failed for good, or
   * pending until `nextAttemptAt`. Guarded, so a job run twice counts once.
   */
  async settleAutomatic(
    tx: Tx,
    sandboxId: string,
    id: string,
    attempt: number,
    status: DeliveryStatus,
    nextAttemptAt: Date | null,
  ): Promise<boolean> {
    const rows = await tx.rows(
      `UPDATE webhook_deliveries SET attempts = $3, status = $4, next_attempt_at = $5
        WHERE sandbox_id = $1 AND id = $2 AND status = 'pending' AND attempts = $3 - 1 RETURNING id`,
      [sandboxId, id, attempt, status, nextAttemptAt],
    );
    return rows.length > 0;
  }

  /** A redelivery that got through ends the delivery: no automatic attempt follows. */
  async markSucceeded(tx: Tx, sandboxId: string, id: string): Promise<void> {
    await tx.rows(
      `UPDATE webhook_deliveries SET status = 'succeeded', next_attempt_at = NULL
        WHERE sandbox_id = $1 AND id = $2 AND status IN ('pending', 'failed')`,
      [sandboxId, id],
    );
  }

  async cancel(q: Queryable, sandboxId: string, id: string): Promise<void> {
    await q.rows(
      `UPDATE webhook_deliveries SET status = 'canceled', next_attempt_at = NULL WHERE sandbox_id = $1 AND id = $2 AND status = 'pending'`,
      [sandboxId, id],
    );
  }

  /** An endpoint turned off or removed gets no more automatic attempts. */
  async cancelForEndpoint(q: Queryable, sandboxId: string, endpointId: string): Promise<void> {
    await q.rows(
      `UPDATE webhook_deliveries SET status = 'canceled', next_attempt_at = NULL
        WHERE sandbox_id = $1 AND endpoint_id = $2 AND status = 'pending'`,
      [sandboxId, endpointId],
    );
  }

  async attemptsOfEvent(
    sandboxId: string,
    eventId: string,
    page: { limit: number; startingAfter?: string },
  ): Promise<{ data: Attempt[]; hasMore: boolean }> {
    const rows = await this.db.rows<AttemptRow>(
      `SELECT * FROM webhook_attempts WHERE sandbox_id = $1 AND event_id = $2 AND ($3::text IS NULL OR id < $3) ORDER BY id DESC LIMIT $4`,
      [sandboxId, eventId, page.startingAfter ?? null, page.limit + 1],
    );
    return { data: rows.slice(0, page.limit).map(toAttempt), hasMore: rows.length > page.limit };
  }

  /** A sandbox reset wipes what its endpoints were sent; the endpoints, settings like keys, stay. */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    await q.rows(`DELETE FROM webhook_attempts WHERE sandbox_id = $1`, [sandboxId]);
    await q.rows(`DELETE FROM webhook_deliveries WHERE sandbox_id = $1`, [sandboxId]);
  }
}
