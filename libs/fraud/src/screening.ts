import { Injectable } from '@nestjs/common';
import { Database, type EventJob, Outbox, type SandboxContext, Topic, newId } from '#core';

export type Decision = 'approve' | 'hold' | 'decline';

export interface Verdict {
  decision: Decision;
  score: number;
  reasons: string[];
}

/**
 * Screens requested top-ups. The decision point (approve / hold / decline
 * from a score) is in place; the rules that score 7pay's attack pattern come
 * with the fraud engine, so today every top-up scores 0 and is approved.
 */
@Injectable()
export class TopupScreening {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
  ) {}

  verdict(_event: EventJob<Topic.TopupRequested>): Verdict {
    return { decision: 'approve', score: 0, reasons: [] };
  }

  /** Records one decision per top-up and tells the top-up module; a redelivered event changes nothing. */
  async screen(sandbox: SandboxContext, event: EventJob<Topic.TopupRequested>): Promise<void> {
    const verdict = this.verdict(event);
    await this.db.transaction(async (tx) => {
      const id = newId('scr');
      const inserted = await tx.rows(
        `INSERT INTO fraud_screenings (sandbox_id, id, subject_type, subject_id, decision, score, reasons, inputs, created_at)
         VALUES ($1, $2, 'topup', $3, $4, $5, $6, $7, $8)
         ON CONFLICT (sandbox_id, subject_type, subject_id) DO NOTHING RETURNING id`,
        [
          sandbox.id,
          id,
          event.data.topupId,
          verdict.decision,
          verdict.score,
          JSON.stringify(verdict.reasons),
          JSON.stringify(event.data),
          sandbox.time.now(),
        ],
      );
      if (inserted.length === 0) return;
      await this.outbox.emit(tx, sandbox, Topic.TopupScreened, {
        ...event.data,
        decision: verdict.decision,
        screeningId: id,
        reasons: verdict.reasons,
      });
    });
  }
}
