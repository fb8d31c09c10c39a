import { Injectable } from '@nestjs/common';
import { Database, type Queryable, type SealedColumn, type Topic, sealedColumn } from '#core';

export type EndpointStatus = 'enabled' | 'disabled';
export type DisabledReason = 'operator' | 'failing';

/** Subscribes an endpoint to every event type, present and future. */
export const ALL_EVENTS = '*';

export interface Endpoint {
  sandboxId: string;
  id: string;
  url: string;
  description: string | null;
  events: string[];
  status: EndpointStatus;
  disabledReason: DisabledReason | null;
  secretSealed: string;
  previousSecretSealed: string | null;
  previousSecretExpiresAt: Date | null;
  failingSince: Date | null;
  createdAt: Date;
}

interface EndpointRow {
  sandbox_id: string;
  id: string;
  url: string;
  description: string | null;
  events: string[];
  status: EndpointStatus;
  disabled_reason: DisabledReason | null;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: Date | null;
  failing_since: Date | null;
  created_at: Date;
}

export const toEndpoint = (row: EndpointRow): Endpoint => ({
  sandboxId: row.sandbox_id,
  id: row.id,
  url: row.url,
  description: row.description,
  events: row.events,
  status: row.status,
  disabledReason: row.disabled_reason,
  secretSealed: row.secret_sealed,
  previousSecretSealed: row.previous_secret_sealed,
  previousSecretExpiresAt: row.previous_secret_expires_at,
  failingSince: row.failing_since,
  createdAt: row.created_at,
});

@Injectable()
export class EndpointsRepository {
  constructor(private readonly db: Database) {}

  /** The sealed signing secrets, current and previous, for a key rotation. */
  sealedSecrets(): Record<'current' | 'previous', Omit<SealedColumn, 'purpose'>> {
    return {
      current: sealedColumn(this.db, 'webhook_endpoints', 'secret_sealed'),
      previous: sealedColumn(this.db, 'webhook_endpoints', 'previous_secret_sealed'),
    };
  }

  async insert(
    q: Queryable,
    endpoint: Omit<Endpoint, 'previousSecretSealed' | 'previousSecretExpiresAt' | 'failingSince'>,
  ): Promise<Endpoint> {
    const [row] = await q.rows<EndpointRow>(
      `INSERT INTO webhook_endpoints (sandbox_id, id, url, description, events, status, disabled_reason, secret_sealed, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [
        endpoint.sandboxId,
        endpoint.id,
        endpoint.url,
        endpoint.description,
        endpoint.events,
        endpoint.status,
        endpoint.disabledReason,
        endpoint.secretSealed,
        endpoint.createdAt,
      ],
    );
    return toEndpoint(row);
  }

  async count(q: Queryable, sandboxId: string): Promise<number> {
    const [row] = await q.rows<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_endpoints WHERE sandbox_id = $1`, [sandboxId]);
    return row.n;
  }

  async find(q: Queryable, sandboxId: string, id: string, lock = false): Promise<Endpoint | null> {
    const [row] = await q.rows<EndpointRow>(
      `SELECT * FROM webhook_endpoints WHERE sandbox_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
      [sandboxId, id],
    );
    return row ? toEndpoint(row) : null;
  }

  async list(sandboxId: string, page: { limit: number; startingAfter?: string }): Promise<{ data: Endpoint[]; hasMore: boolean }> {
    const rows = await this.db.rows<EndpointRow>(
      `SELECT * FROM webhook_endpoints WHERE sandbox_id = $1 AND ($2::text IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
      [sandboxId, page.startingAfter ?? null, page.limit + 1],
    );
    return { data: rows.slice(0, page.limit).map(toEndpoint), hasMore: rows.length > page.limit };
  }

  async remove(q: Queryable, sandboxId: string, id: string): Promise<boolean> {
    const rows = await q.rows(`DELETE FROM webhook_endpoints WHERE sandbox_id = $1 AND id = $2 RETURNING id`, [sandboxId, id]);
    return rows.length > 0;
  }

  /** Turns an enabled endpoint off; null when it was not enabled. */
  async disable(q: Queryable, sandboxId: string, id: string, reason: DisabledReason): Promise<Endpoint | null> {
    const [row] = await q.rows<EndpointRow>(
      `UPDATE webhook_endpoints SET status = 'disabled', disabled_reason = $3
        WHERE sandbox_id = $1 AND id = $2 AND status = 'enabled' RETURNING *`,
      [sandboxId, id, reason],
    );
    return row ? toEndpoint(row) : null;
  }

  /** Turns it on with a clean record: its past failures no longer count towards disabling it. */
  async enable(q: Queryable, sandboxId: string, id: string): Promise<Endpoint | null> {
    const [row] = await q.rows<EndpointRow>(
      `UPDATE webhook_endpoints SET status = 'enabled', disabled_reason = NULL, failing_since = NULL
        WHERE sandbox_id = $1 AND id = $2 RETURNING *`,
      [sandboxId, id],
    );
    return row ? toEndpoint(row) : null;
  }

  /** The current secret becomes the previous one, still signing until `previousExpiresAt` (sandbox time). */
  async rotateSecret(q: Queryable, sandboxId: string, id: string, sealed: string, previousExpiresAt: Date): Promise<Endpoint | null> {
    const [row] = await q.rows<EndpointRow>(
      `UPDATE webhook_endpoints
          SET previous_secret_sealed = secret_sealed, previous_secret_expires_at = $4, secret_sealed = $3
        WHERE sandbox_id = $1 AND id = $2 RETURNING *`,
      [sandboxId, id, sealed, previousExpiresAt],
    );
    return row ? toEndpoint(row) : null;
  }

  /** Enabled endpoints that take this event type and existed when the event happened. */
  async subscribedTo(q: Queryable, sandboxId: string, type: Topic, occurredAt: Date): Promise<Endpoint[]> {
    const rows = await q.rows<EndpointRow>(
      `SELECT * FROM webhook_endpoints
        WHERE sandbox_id = $1 AND status = 'enabled' AND created_at <= $3 AND ($2 = ANY (events) OR '${ALL_EVENTS}' = ANY (events))
        ORDER BY id`,
      [sandboxId, type, occurredAt],
    );
    return rows.map(toEndpoint);
  }

  /** The event types the sandbox's enabled endpoints take, all together. */
  /** The event types the sandbox's enabled endpoints take, and the database's time of the read. */
  async subscribedTypes(sandboxId: string): Promise<{ types: string[]; at: Date }> {
    const [row] = await this.db.rows<{ types: string[]; at: Date }>(
      `SELECT now() AS at, COALESCE((SELECT array_agg(DISTINCT t.type) FROM webhook_endpoints e, unnest(e.events) AS t(type)
                                     WHERE e.sandbox_id = $1 AND e.status = 'enabled'), '{}') AS types`,
      [sandboxId],
    );
    return row;
  }

  /** After an answer: a success clears the failing streak, a failure starts one if none is running. */
  async recordHealth(q: Queryable, sandboxId: string, id: string, succeeded: boolean, at: Date): Promise<Endpoint | null> {
    const [row] = await q.rows<EndpointRow>(
      `UPDATE webhook_endpoints SET failing_since = CASE WHEN $3 THEN NULL ELSE coalesce(failing_since, $4) END
        WHERE sandbox_id = $1 AND id = $2 RETURNING *`,
      [sandboxId, id, succeeded, at],
    );
    return row ? toEndpoint(row) : null;
  }
}
