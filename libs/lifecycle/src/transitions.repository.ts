import { Injectable } from '@nestjs/common';
import type { Queryable } from '#core';
import type { Phase } from './phases.js';

export interface Transition {
  id: string;
  to: Phase;
  phaseIndex: number;
  effectiveAt: Date;
  reason: string | null;
  requestedBy: string;
  createdAt: Date;
  appliedAt: Date | null;
}

interface TransitionRow {
  id: string;
  to_phase: Phase;
  phase_index: number;
  effective_at: Date;
  reason: string | null;
  requested_by: string;
  created_at: Date;
  applied_at: Date | null;
}

const toTransition = (row: TransitionRow): Transition => ({
  id: row.id,
  to: row.to_phase,
  phaseIndex: row.phase_index,
  effectiveAt: row.effective_at,
  reason: row.reason,
  requestedBy: row.requested_by,
  createdAt: row.created_at,
  appliedAt: row.applied_at,
});

/** The service schedule of each sandbox: its transitions, in phase order. */
@Injectable()
export class TransitionsRepository {
  /** The schedule in order. */
  async list(q: Queryable, sandboxId: string): Promise<Transition[]> {
    const rows = await q.rows<TransitionRow>(`SELECT * FROM lifecycle_transitions WHERE sandbox_id = $1 ORDER BY phase_index`, [sandboxId]);
    return rows.map(toTransition);
  }

  /** One change of schedule at a time per sandbox, until the transaction ends. */
  async lockSchedule(q: Queryable, sandboxId: string): Promise<void> {
    await q.rows(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`lifecycle/${sandboxId}`]);
  }

  async insert(q: Queryable, sandboxId: string, t: Transition): Promise<void> {
    await q.rows(
      `INSERT INTO lifecycle_transitions (sandbox_id, id, phase_index, to_phase, effective_at, reason, requested_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [sandboxId, t.id, t.phaseIndex, t.to, t.effectiveAt, t.reason, t.requestedBy, t.createdAt],
    );
  }

  async markApplied(q: Queryable, sandboxId: string, id: string, at: Date): Promise<void> {
    await q.rows(`UPDATE lifecycle_transitions SET applied_at = $3 WHERE sandbox_id = $1 AND id = $2`, [sandboxId, id, at]);
  }

  /** Sandboxes with a transition not yet applied whose time has come on their own clock. */
  async sandboxesDue(q: Queryable): Promise<string[]> {
    const rows = await q.rows<{ sandbox_id: string }>(
      `SELECT DISTINCT t.sandbox_id FROM lifecycle_transitions t JOIN sandbox_clocks c ON c.sandbox_id = t.sandbox_id
        WHERE t.applied_at IS NULL AND t.effective_at <= c.now`,
    );
    return rows.map((row) => row.sandbox_id);
  }

  /** Deletes the sandbox's schedule (sandbox reset). */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    await q.rows(`DELETE FROM lifecycle_transitions WHERE sandbox_id = $1`, [sandboxId]);
  }
}
