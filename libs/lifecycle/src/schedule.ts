import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  type Capability,
  type CapabilitySource,
  Database,
  type Queryable,
  SandboxCache,
  SandboxChanges,
  type SandboxContext,
  ServicePolicy,
} from '#core';
import { type Phase, allows } from './phases.js';

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

export function toTransition(row: TransitionRow): Transition {
  return {
    id: row.id,
    to: row.to_phase,
    phaseIndex: row.phase_index,
    effectiveAt: row.effective_at,
    reason: row.reason,
    requestedBy: row.requested_by,
    createdAt: row.created_at,
    appliedAt: row.applied_at,
  };
}

/** The phase at a time: the furthest transition whose time has come. */
export function phaseAt(schedule: readonly Transition[], at: Date): Phase {
  let phase: Phase = 'operating';
  for (const t of schedule) if (t.effectiveAt <= at) phase = t.to;
  return phase;
}

/**
 * A sandbox's service schedule, and the answer to every module's "may I?"
 * (ServicePolicy). Transitions are few and change rarely, so each process
 * keeps them per sandbox until the sandbox announces a change; the phase
 * itself is worked out from the sandbox's time at each question, so a
 * scheduled step takes effect the moment its time comes.
 */
@Injectable()
export class ServiceSchedule implements CapabilitySource, OnModuleInit {
  private readonly cache: SandboxCache<Transition[]>;

  constructor(
    private readonly db: Database,
    changes: SandboxChanges,
    private readonly policy: ServicePolicy,
  ) {
    this.cache = new SandboxCache(changes, (sandboxId) => this.transitions(this.db, sandboxId));
  }

  onModuleInit(): void {
    this.policy.use(this);
  }

  async check(sandbox: SandboxContext, capability: Capability): Promise<{ open: boolean; phase: Phase }> {
    const phase = await this.phase(sandbox);
    return { open: allows(phase, capability), phase };
  }

  async phase(sandbox: SandboxContext, at: Date = sandbox.time.now()): Promise<Phase> {
    return phaseAt(await this.cache.get(sandbox.id), at);
  }

  /** The schedule in order, read fresh (for decisions that must not act on a cached copy). */
  async transitions(q: Queryable, sandboxId: string, forUpdate = false): Promise<Transition[]> {
    const rows = await q.rows<TransitionRow>(
      `SELECT * FROM lifecycle_transitions WHERE sandbox_id = $1 ORDER BY phase_index${forUpdate ? ' FOR UPDATE' : ''}`,
      [sandboxId],
    );
    return rows.map(toTransition);
  }
}
