import { Injectable } from '@nestjs/common';
import { Database, Outbox, type SandboxContext, Topic, type Tx } from '#core';
import type { Observation } from './observations.js';
import type { Hit } from './rules.js';

export type AlertSubject = 'store' | 'ip';

export interface Alert {
  /** The event that raised it. */
  id: string;
  rule: string;
  subjectType: AlertSubject;
  subjectId: string;
  score: number;
  inputs: Record<string, unknown>;
  occurredAt: string;
}

interface AlertRow {
  event_id: string;
  rule: string;
  subject_type: AlertSubject;
  subject_id: string;
  score: number;
  inputs: Record<string, unknown>;
  occurred_at: Date;
}

/**
 * Rule hits on what cannot be held: a store whose registers guess payment
 * codes, an IP address failing to sign in to many accounts. Each is kept
 * with the other hits (subject `store` or `ip`), at most once per subject
 * and rule within the rule's window, and announced (`fraud.alert_raised`).
 */
@Injectable()
export class Alerts {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
  ) {}

  async raise(tx: Tx, sandbox: SandboxContext, o: Observation, subject: { type: AlertSubject; id: string }, hit: Hit, windowMinutes = 0) {
    // Events about one subject at once take turns here, so they raise one alert, not several.
    await tx.rows(`SELECT pg_advisory_xact_lock(hashtextextended($1 || '/alert/' || $2 || '/' || $3, 0))`, [
      sandbox.id,
      hit.rule,
      subject.id,
    ]);
    // Either side of this event: events reach the rules out of order, and a later one may have raised it already.
    const [raised] = await tx.rows(
      `SELECT 1 FROM fraud_rule_hits WHERE sandbox_id = $1 AND subject_id = $2 AND subject_type = $3 AND rule = $4
          AND occurred_at > $5::timestamptz - make_interval(mins => $6) AND occurred_at < $5::timestamptz + make_interval(mins => $6) LIMIT 1`,
      [sandbox.id, subject.id, subject.type, hit.rule, o.at, windowMinutes],
    );
    if (raised) return;
    await tx.rows(
      `INSERT INTO fraud_rule_hits (sandbox_id, event_id, rule, subject_type, subject_id, score, inputs, occurred_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [sandbox.id, o.eventId, hit.rule, subject.type, subject.id, hit.score, JSON.stringify(hit.inputs), o.at],
    );
    await this.outbox.publish(tx, {
      sandboxId: sandbox.id,
      type: Topic.FraudAlertRaised,
      data: { rule: hit.rule, subjectType: subject.type, subjectId: subject.id, score: hit.score, inputs: hit.inputs },
      occurredAt: o.at,
    });
  }

  async list(
    sandboxId: string,
    query: { subjectType?: AlertSubject; limit: number; startingAfter?: string },
  ): Promise<{ data: Alert[]; hasMore: boolean }> {
    const rows = await this.db.rows<AlertRow>(
      `SELECT event_id, rule, subject_type, subject_id, score, inputs, occurred_at FROM fraud_rule_hits
        WHERE sandbox_id = $1 AND subject_type IN ('store', 'ip') AND ($2::text IS NULL OR subject_type = $2) AND ($3::text IS NULL OR event_id < $3)
        ORDER BY event_id DESC LIMIT $4`,
      [sandboxId, query.subjectType ?? null, query.startingAfter ?? null, query.limit + 1],
    );
    const data = rows.slice(0, query.limit).map((row) => ({
      id: row.event_id,
      rule: row.rule,
      subjectType: row.subject_type,
      subjectId: row.subject_id,
      score: row.score,
      inputs: row.inputs,
      occurredAt: row.occurred_at.toISOString(),
    }));
    return { data, hasMore: rows.length > query.limit };
  }
}
