import { Injectable } from '@nestjs/common';
import type { Queryable } from '#core';
import type { Hit } from './rules.js';

/** What an alert is about: what cannot be held. */
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

/** What the rules found, by event: each hit with the inputs it saw, on a wallet's subject or (an alert) on a store or an IP. */
@Injectable()
export class RuleHitsRepository {
  /** Records the event's hits on its subject (a wallet's, or an alert's store or IP); a redelivered event records nothing twice. */
  async record(
    q: Queryable,
    sandboxId: string,
    event: { eventId: string; at: Date },
    subject: { type: string; id: string },
    hits: Hit[],
  ): Promise<void> {
    for (const h of hits) {
      await q.rows(
        `INSERT INTO fraud_rule_hits (sandbox_id, event_id, rule, subject_type, subject_id, score, inputs, occurred_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT DO NOTHING`,
        [sandboxId, event.eventId, h.rule, subject.type, subject.id, h.score, JSON.stringify(h.inputs), event.at],
      );
    }
  }

  /** The hits of one event, by rule. */
  async ofEvent(
    q: Queryable,
    sandboxId: string,
    eventId: string,
  ): Promise<Array<{ rule: string; score: number; inputs: Record<string, unknown> }>> {
    return q.rows<{ rule: string; score: number; inputs: Record<string, unknown> }>(
      `SELECT rule, score, inputs FROM fraud_rule_hits WHERE sandbox_id = $1 AND event_id = $2 ORDER BY rule`,
      [sandboxId, eventId],
    );
  }

  /** Until commit: events about one subject and rule take turns raising its alert. */
  async lockAlert(q: Queryable, sandboxId: string, rule: string, subjectId: string): Promise<void> {
    await q.rows(`SELECT pg_advisory_xact_lock(hashtextextended($1 || '/alert/' || $2 || '/' || $3, 0))`, [sandboxId, rule, subjectId]);
  }

  /** Whether the rule hit the subject within `windowMinutes` either side of `at`. */
  async hitAround(
    q: Queryable,
    sandboxId: string,
    subject: { type: AlertSubject; id: string },
    rule: string,
    at: Date,
    windowMinutes: number,
  ): Promise<boolean> {
    const rows = await q.rows(
      `SELECT 1 FROM fraud_rule_hits WHERE sandbox_id = $1 AND subject_id = $2 AND subject_type = $3 AND rule = $4
          AND occurred_at > $5::timestamptz - make_interval(mins => $6) AND occurred_at < $5::timestamptz + make_interval(mins => $6) LIMIT 1`,
      [sandboxId, subject.id, subject.type, rule, at, windowMinutes],
    );
    return rows.length > 0;
  }

  /** Alerts newest first, after `startingAfter`. */
  async listAlerts(
    q: Queryable,
    sandboxId: string,
    query: { subjectType?: AlertSubject; limit: number; startingAfter?: string },
  ): Promise<Alert[]> {
    const rows = await q.rows<AlertRow>(
      `SELECT event_id, rule, subject_type, subject_id, score, inputs, occurred_at FROM fraud_rule_hits
        WHERE sandbox_id = $1 AND subject_type IN ('store', 'ip') AND ($2::text IS NULL OR subject_type = $2) AND ($3::text IS NULL OR event_id < $3)
        ORDER BY event_id DESC LIMIT $4`,
      [sandboxId, query.subjectType ?? null, query.startingAfter ?? null, query.limit],
    );
    return rows.map((row) => ({
      id: row.event_id,
      rule: row.rule,
      subjectType: row.subject_type,
      subjectId: row.subject_id,
      score: row.score,
      inputs: row.inputs,
      occurredAt: row.occurred_at.toISOString(),
    }));
  }

  /** A sandbox reset wipes its hits and alerts. */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    await q.rows(`DELETE FROM fraud_rule_hits WHERE sandbox_id = $1`, [sandboxId]);
  }
}
