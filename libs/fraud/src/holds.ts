import { DomainError } from '#core';
import type { AuditEntry, HoldRecord } from './holds.repository.js';
import type { Hit } from './rules.js';

export type HoldStatus = 'open' | 'released' | 'confirmed' | 'expired';

/**
 * A hold on a wallet: placed by the rules (or an operator), reviewed by an
 * operator (release or confirm fraud), released by policy when nobody reviews it.
 */
export interface Hold {
  id: string;
  walletId: string;
  userId: string | null;
  status: HoldStatus;
  reason: string;
  score: number;
  rules: string[];
  /** Why: each rule that fired on the triggering event, with the inputs it saw. */
  hits: Array<{ rule: string; score: number; inputs: Record<string, unknown> }>;
  /** The part of the score carried over from a risky sign-in shortly before (see sessionRiskMinutes). */
  sessionRisk: number;
  topupIds: string[];
  windowStart: string;
  createdAt: string;
  expiresAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolutionReason: string | null;
  audit: Array<{ at: string; actor: string; action: string; note: string | null }>;
}

export interface HoldTrigger {
  /** The event the rules scored; none for a hold an operator placed. */
  eventId: string | null;
  walletId: string;
  userId: string | null;
  reason: string;
  score: number;
  hits: Hit[];
  /** When the suspicious activity began: what a confirmed fraud reaches back to. */
  windowStart: Date;
  topupId?: string;
}

/** The hold as a reviewer reads it: its row, the hits that placed it, the top-ups it keeps and its audit trail. */
export function holdView(hold: HoldRecord, parts: { hits: Hold['hits']; topupIds: string[]; audit: AuditEntry[] }): Hold {
  return {
    id: hold.id,
    walletId: hold.walletId,
    userId: hold.userId,
    status: hold.status,
    reason: hold.reason,
    score: hold.score,
    rules: hold.rules,
    hits: parts.hits,
    sessionRisk: hold.score - parts.hits.reduce((sum, h) => sum + h.score, 0),
    topupIds: parts.topupIds,
    windowStart: hold.windowStart.toISOString(),
    createdAt: hold.createdAt.toISOString(),
    expiresAt: hold.expiresAt.toISOString(),
    resolvedAt: hold.resolvedAt?.toISOString() ?? null,
    resolvedBy: hold.resolvedBy,
    resolutionReason: hold.resolutionReason,
    audit: parts.audit.map((a) => ({ at: a.at.toISOString(), actor: a.actor, action: a.action, note: a.note })),
  };
}

/** A hold an operator may still review: `not_found` when there is none, `invalid_transition` once it was resolved. */
export function underReview(hold: HoldRecord | null, holdId: string): HoldRecord {
  if (!hold) throw DomainError.notFound('hold', holdId);
  if (hold.status !== 'open')
    throw new DomainError('invalid_transition', `The hold is already ${hold.status}`, { holdStatus: hold.status });
  return hold;
}
