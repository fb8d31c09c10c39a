import { Injectable } from '@nestjs/common';
import type { Queryable } from '#core';

/** The decision on each top-up screened: one per top-up, with its score, reasons and inputs. */
@Injectable()
export class ScreeningsRepository {
  /** Records the top-up's screening; a second one for the same top-up is not recorded. */
  async insert(
    q: Queryable,
    screening: {
      sandboxId: string;
      id: string;
      topupId: string;
      decision: 'approve' | 'hold' | 'decline';
      score: number;
      reasons: string[];
      inputs: object;
      at: Date;
    },
  ): Promise<void> {
    await q.rows(
      `INSERT INTO fraud_screenings (sandbox_id, id, subject_type, subject_id, decision, score, reasons, inputs, created_at)
       VALUES ($1, $2, 'topup', $3, $4, $5, $6, $7, $8) ON CONFLICT (sandbox_id, subject_type, subject_id) DO NOTHING`,
      [
        screening.sandboxId,
        screening.id,
        screening.topupId,
        screening.decision,
        screening.score,
        JSON.stringify(screening.reasons),
        JSON.stringify(screening.inputs),
        screening.at,
      ],
    );
  }

  /** A sandbox reset wipes its screenings. */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    await q.rows(`DELETE FROM fraud_screenings WHERE sandbox_id = $1`, [sandboxId]);
  }
}
