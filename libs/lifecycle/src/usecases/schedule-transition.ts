import { Injectable } from '@nestjs/common';
import { Database, DomainError, type FieldError, Outbox, SandboxChanges, type SandboxContext, Topic, type Tx, newId } from '#core';
import { OPERATOR_PHASES, type Phase, phaseIndex } from '../phases.js';
import { type Transition, ServiceSchedule, phaseAt } from '../schedule.js';

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

export interface NoticeDates {
  terminationAt: Date;
  refundClaimsFrom: Date;
  refundClaimsUntil: Date;
}

/**
 * Moves a sandbox's service towards its end, now or at a time on the
 * sandbox clock, strictly in order. Announcing abolition publishes the
 * notice and schedules what follows from its dates: termination, the refund
 * window and its close.
 */
@Injectable()
export class ServiceTransitions {
  constructor(
    private readonly db: Database,
    private readonly schedules: ServiceSchedule,
    private readonly outbox: Outbox,
    private readonly changes: SandboxChanges,
  ) {}

  async schedule(sandbox: SandboxContext, request: TransitionRequest, requestedBy: string): Promise<Transition[]> {
    const now = sandbox.time.now();
    const effectiveAt = request.effectiveAt ?? now;
    const notice = this.validate(request, effectiveAt, now);
    const created = await this.db.transaction(async (tx) => {
      // One change of schedule at a time per sandbox, decided on the schedule as it is now.
      await tx.rows(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`lifecycle/${sandbox.id}`]);
      const current = await this.schedules.transitions(tx, sandbox.id);
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
        if (t.effectiveAt <= now) await this.applyIn(tx, sandbox, t, current.concat(transitions));
        else await this.outbox.emit(tx, sandbox, Topic.ServiceTransitionScheduled, facts);
      }
      return transitions;
    });
    await this.changes.announce(sandbox.id);
    return created;
  }

  /** Applies the scheduled transitions whose time has come (the sandbox clock passed them); returns how many. */
  async applyDue(sandbox: SandboxContext): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.rows(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`lifecycle/${sandbox.id}`]);
      const schedule = await this.schedules.transitions(tx, sandbox.id);
      const due = schedule.filter((t) => !t.appliedAt && t.effectiveAt <= sandbox.time.now());
      for (const t of due) await this.applyIn(tx, sandbox, t, schedule);
      return due.length;
    });
  }

  /** Marks a transition applied and says so; the phase it leaves is the one before it in the schedule. */
  private async applyIn(tx: Tx, sandbox: SandboxContext, t: Transition, schedule: readonly Transition[]): Promise<void> {
    await tx.rows(`UPDATE lifecycle_transitions SET applied_at = $3 WHERE sandbox_id = $1 AND id = $2`, [
      sandbox.id,
      t.id,
      sandbox.time.now(),
    ]);
    const before = schedule.filter((s) => s.phaseIndex < t.phaseIndex).at(-1);
    const notice = await this.noticeDates(tx, sandbox.id);
    await this.outbox.emit(tx, sandbox, Topic.ServicePhaseChanged, { ...transitionFacts(t, notice), from: before?.to ?? 'operating' });
  }

  private async noticeDates(tx: Tx, sandboxId: string): Promise<NoticeDates | null> {
    const [row] = await tx.rows<{ termination_at: Date; refund_claims_from: Date; refund_claims_until: Date }>(
      `SELECT termination_at, refund_claims_from, refund_claims_until FROM lifecycle_notices WHERE sandbox_id = $1`,
      [sandboxId],
    );
    return row
      ? { terminationAt: row.termination_at, refundClaimsFrom: row.refund_claims_from, refundClaimsUntil: row.refund_claims_until }
      : null;
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
    await tx.rows(
      `INSERT INTO lifecycle_transitions (sandbox_id, id, phase_index, to_phase, effective_at, reason, requested_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [sandbox.id, t.id, t.phaseIndex, t.to, t.effectiveAt, t.reason, t.requestedBy, t.createdAt],
    );
    return t;
  }

  private async publishNotice(tx: Tx, sandbox: SandboxContext, announcement: Transition, notice: NoticeDates): Promise<void> {
    const { title, body } = noticeText(notice);
    await tx.rows(
      `INSERT INTO lifecycle_notices (sandbox_id, id, transition_id, published_at, termination_at, refund_claims_from, refund_claims_until, title, body)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        sandbox.id,
        newId('ntc'),
        announcement.id,
        announcement.effectiveAt,
        notice.terminationAt,
        notice.refundClaimsFrom,
        notice.refundClaimsUntil,
        title,
        body,
      ],
    );
  }
}

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

const JST = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

export function formatJst(at: Date): string {
  return `${JST.format(at).replace(',', '')} JST`;
}

/** The notice every holder receives, as the Payment Services Act asks: when it ends, how and until when to claim. */
export function noticeText(notice: NoticeDates): { title: string; body: string } {
  return {
    title: 'Notice of the abolition of the service and the refund of balances',
    body: [
      `The service will end at ${formatJst(notice.terminationAt)}. From then on the balance can no longer be used to pay.`,
      `Holders of a balance can claim its refund from ${formatJst(notice.refundClaimsFrom)} until ${formatJst(notice.refundClaimsUntil)}, free of charge,`,
      'by bank transfer or a postal payout slip, in the app (refund claim). We check the claim against the registered e-mail address and phone number.',
      'After the deadline the right to a refund under the Payment Services Act ends.',
    ].join('\n'),
  };
}
