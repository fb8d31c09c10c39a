import { Injectable } from '@nestjs/common';
import { Database, DomainError, type FieldError, Outbox, SandboxChanges, type SandboxContext, type Tx, newId } from '#core';
import { type NoticeDates, noticeText } from '../notice-text.js';
import { NoticesRepository } from '../notices.repository.js';
import { OPERATOR_PHASES, type Phase, phaseIndex } from '../phases.js';
import { phaseAt } from '../schedule.js';
import { type Transition, TransitionsRepository } from '../transitions.repository.js';
import { ApplyTransitions, transitionFacts } from './apply-transitions.js';

/** Payment Services Act: holders get at least 60 days to claim after the abolition notice's termination. */
export const MIN_CLAIM_DAYS = 60;
const DAY_MS = 86_400_000;

export interface TransitionRequest {
  to: Phase;
  effectiveAt?: Date;
  reason?: string;
  terminationAt?: Date;
  refundClaimsFrom?: Date;
  refundClaimsUntil?: Date;
}

/**
 * Moves a sandbox's service towards its end, now or at a time on the
 * sandbox clock, strictly in order. Announcing abolition publishes the
 * notice and schedules what follows from its dates: termination, the refund
 * window and its close.
 */
@Injectable()
export class ScheduleTransition {
  constructor(
    private readonly db: Database,
    private readonly transitions: TransitionsRepository,
    private readonly notices: NoticesRepository,
    private readonly apply: ApplyTransitions,
    private readonly outbox: Outbox,
    private readonly changes: SandboxChanges,
  ) {}

  async execute(sandbox: SandboxContext, request: TransitionRequest, requestedBy: string): Promise<Transition[]> {
    const now = sandbox.time.now();
    const effectiveAt = request.effectiveAt ?? now;
    const notice = this.validate(request, effectiveAt, now);
    const created = await this.db.transaction(async (tx) => {
      // One change of schedule at a time per sandbox, decided on the schedule as it is now.
      await this.transitions.lockSchedule(tx, sandbox.id);
      const current = await this.transitions.list(tx, sandbox.id);
      const last = current.at(-1);
      const furthest: Phase = last?.to ?? 'operating';
      if (phaseIndex(request.to) <= phaseIndex(furthest)) {
        const phase = phaseAt(current, now);
        const where = phase === furthest ? `is ${phase}` : `is ${phase}, scheduled to become ${furthest}`;
        throw new DomainError('invalid_transition', `The service ${where}: it can only move on from there`, { phase, furthest });
      }
      if (last && effectiveAt < last.effectiveAt) {
        throw new DomainError(
          'invalid_transition',
          `${request.to} cannot take effect before ${last.to} (${last.effectiveAt.toISOString()})`,
          {
            furthest,
            furthestAt: last.effectiveAt.toISOString(),
          },
        );
      }
      const steps: Array<{ to: Phase; at: Date; reason: string | null; by: string }> = [
        { to: request.to, at: effectiveAt, reason: request.reason ?? null, by: requestedBy },
      ];
      if (notice) {
        steps.push(
          { to: 'terminated', at: notice.terminationAt, reason: 'as announced in the abolition notice', by: 'notice' },
          { to: 'refund_window', at: notice.refundClaimsFrom, reason: 'as announced in the abolition notice', by: 'notice' },
          { to: 'closed', at: notice.refundClaimsUntil, reason: 'the refund claim deadline passed', by: 'notice' },
        );
      }
      const transitions: Transition[] = [];
      for (const step of steps) transitions.push(await this.insert(tx, sandbox, step, now));
      if (notice) await this.publishNotice(tx, sandbox, transitions[0], notice);
      for (const t of transitions) {
        const facts = transitionFacts(t, notice);
        if (t.effectiveAt <= now) await this.apply.applyIn(tx, sandbox, t, current.concat(transitions));
        else await this.outbox.emit(tx, sandbox, 'service.transition_scheduled', facts);
      }
      return transitions;
    });
    await this.changes.announce(sandbox.id);
    return created;
  }

  private validate(request: TransitionRequest, effectiveAt: Date, now: Date): NoticeDates | null {
    const problems: FieldError[] = [];
    if (request.effectiveAt && request.effectiveAt < now)
      problems.push({ field: 'effectiveAt', message: 'must not be in the past (omit it for now)' });
    const dates = {
      terminationAt: request.terminationAt,
      refundClaimsFrom: request.refundClaimsFrom,
      refundClaimsUntil: request.refundClaimsUntil,
    };
    if (request.to !== 'abolition_announced') {
      for (const [field, value] of Object.entries(dates)) {
        if (value) problems.push({ field, message: 'belongs to the abolition notice (to: "abolition_announced")' });
      }
      if (problems.length) throw DomainError.invalid(problems);
      if (!OPERATOR_PHASES.includes(request.to)) {
        throw new DomainError(
          'invalid_transition',
          request.to === 'operating'
            ? 'A service never goes back to operating'
            : `${request.to} follows the dates of the abolition notice: announce abolition with them`,
        );
      }
      return null;
    }
    if (!request.terminationAt) problems.push({ field: 'terminationAt', message: 'is required to announce abolition' });
    if (!request.refundClaimsUntil) problems.push({ field: 'refundClaimsUntil', message: 'is required to announce abolition' });
    if (request.terminationAt && request.terminationAt <= effectiveAt) {
      problems.push({ field: 'terminationAt', message: 'must come after the announcement' });
    }
    const from = request.refundClaimsFrom ?? request.terminationAt;
    if (request.refundClaimsFrom && request.terminationAt && request.refundClaimsFrom < request.terminationAt) {
      problems.push({ field: 'refundClaimsFrom', message: 'must not come before terminationAt' });
    }
    if (problems.length) throw DomainError.invalid(problems);
    const until = request.refundClaimsUntil as Date;
    const days = (until.getTime() - (from as Date).getTime()) / DAY_MS;
    if (days < MIN_CLAIM_DAYS) {
      throw new DomainError(
        'notice_period_too_short',
        `Holders must get at least ${MIN_CLAIM_DAYS} days to claim after termination; this notice gives ${Math.max(0, Math.floor(days))}`,
        { minimumDays: MIN_CLAIM_DAYS, days: Math.max(0, Math.floor(days)) },
      );
    }
    return { terminationAt: request.terminationAt as Date, refundClaimsFrom: from as Date, refundClaimsUntil: until };
  }

  private async insert(
    tx: Tx,
    sandbox: SandboxContext,
    step: { to: Phase; at: Date; reason: string | null; by: string },
    now: Date,
  ): Promise<Transition> {
    const t: Transition = {
      id: newId('svt'),
      to: step.to,
      phaseIndex: phaseIndex(step.to),
      effectiveAt: step.at,
      reason: step.reason,
      requestedBy: step.by,
      createdAt: now,
      appliedAt: null,
    };
    await this.transitions.insert(tx, sandbox.id, t);
    return t;
  }

  private async publishNotice(tx: Tx, sandbox: SandboxContext, announcement: Transition, notice: NoticeDates): Promise<void> {
    await this.notices.insert(tx, {
      sandboxId: sandbox.id,
      id: newId('ntc'),
      transitionId: announcement.id,
      publishedAt: announcement.effectiveAt,
      ...notice,
      ...noticeText(notice),
    });
  }
}
