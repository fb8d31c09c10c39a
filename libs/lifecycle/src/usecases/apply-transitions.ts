import { Injectable } from '@nestjs/common';
import { Database, Outbox, type SandboxContext, type Tx } from '#core';
import { SandboxContexts } from '#sandbox';
import type { NoticeDates } from '../notice-text.js';
import { NoticesRepository } from '../notices.repository.js';
import { type Transition, TransitionsRepository } from '../transitions.repository.js';

/** What the events of a transition say of it. */
export function transitionFacts(t: Transition, notice: NoticeDates | null) {
  return {
    transitionId: t.id,
    to: t.to,
    effectiveAt: t.effectiveAt.toISOString(),
    reason: t.reason,
    notice:
      notice && t.to === 'abolition_announced'
        ? {
            terminationAt: notice.terminationAt.toISOString(),
            refundClaimsFrom: notice.refundClaimsFrom.toISOString(),
            refundClaimsUntil: notice.refundClaimsUntil.toISOString(),
          }
        : null,
  };
}

/** Scheduled transitions take effect once the sandbox clock reaches them, each said once as a phase change. */
@Injectable()
export class ApplyTransitions {
  constructor(
    private readonly db: Database,
    private readonly transitions: TransitionsRepository,
    private readonly notices: NoticesRepository,
    private readonly outbox: Outbox,
    private readonly contexts: SandboxContexts,
  ) {}

  /** Applies the scheduled transitions whose time has come (the sandbox clock passed them); returns how many. */
  async due(sandbox: SandboxContext): Promise<number> {
    return this.db.transaction(async (tx) => {
      await this.transitions.lockSchedule(tx, sandbox.id);
      const schedule = await this.transitions.list(tx, sandbox.id);
      const due = schedule.filter((t) => !t.appliedAt && t.effectiveAt <= sandbox.time.now());
      for (const t of due) await this.applyIn(tx, sandbox, t, schedule);
      return due.length;
    });
  }

  /** The same for every sandbox whose clock passed a transition. */
  async sweep(): Promise<void> {
    for (const sandboxId of await this.transitions.sandboxesDue(this.db)) {
      const sandbox = await this.contexts.get(sandboxId);
      if (sandbox) await this.due(sandbox);
    }
  }

  /** Marks a transition applied and says so; the phase it leaves is the one before it in the schedule. */
  async applyIn(tx: Tx, sandbox: SandboxContext, t: Transition, schedule: readonly Transition[]): Promise<void> {
    await this.transitions.markApplied(tx, sandbox.id, t.id, sandbox.time.now());
    const before = schedule.filter((s) => s.phaseIndex < t.phaseIndex).at(-1);
    const notice = await this.notices.findDates(tx, sandbox.id);
    await this.outbox.emit(tx, sandbox, 'service.phase_changed', { ...transitionFacts(t, notice), from: before?.to ?? 'operating' });
  }
}
