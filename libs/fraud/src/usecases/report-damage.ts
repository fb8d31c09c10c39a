import { Injectable } from '@nestjs/common';
import { Database } from '#core';
import { LedgerService, SystemAccount } from '#ledger';
import { VictimsRepository } from '../victims.repository.js';
import { AssessDamage } from './assess-damage.js';

export interface VictimLine {
  victimId: string;
  holdId: string;
  walletId: string;
  userId: string | null;
  confirmedAt: string;
  fraudulentTopups: number;
  fraudulentPayments: number;
  /** What the victim lost before compensation: the charges made in their name, or what was spent if more. */
  damage: number;
  compensation: { status: 'pending' | 'paid'; reimbursed: number | null; reversed: number | null; paidAt: string | null };
}

export interface DamageReport {
  asOf: string;
  victims: number;
  amount: number;
  compensated: { victims: number; reimbursed: number; reversed: number };
  /** The same compensation read back from the ledger: reimbursements from the fraud-loss account, reversals to the card channel. */
  ledger: { reimbursed: number; reversed: number };
  list: VictimLine[];
  /**
   * The same figures over sandbox time, one point at each confirmation and
   * each compensation paid, and one at `asOf`: victims and damage confirmed
   * so far, and the damage of the victims compensated by then.
   */
  timeline: Array<{ at: string; victims: number; damage: number; compensated: number }>;
}

/** 7pay's "808 people / ¥38,615,473": confirmed victims and their damage as of a time, with compensation. */
@Injectable()
export class ReportDamage {
  constructor(
    private readonly db: Database,
    private readonly ledger: LedgerService,
    private readonly victims: VictimsRepository,
    private readonly damages: AssessDamage,
  ) {}

  async asOf(sandboxId: string, asOf: Date): Promise<DamageReport> {
    const list: VictimLine[] = [];
    for (const victim of await this.victims.confirmedBy(this.db, sandboxId, asOf)) {
      // Measured when it was paid; until then, as the observations have it now.
      const measured =
        victim.fraudulentTopups === null
          ? await this.damages.assess(this.db, sandboxId, victim.walletId, victim.windowStart, victim.confirmedAt)
          : { fraudulentTopups: victim.fraudulentTopups, fraudulentPayments: victim.fraudulentPayments ?? 0 };
      const paid = victim.status === 'paid' && victim.paidAt !== null && victim.paidAt <= asOf;
      list.push({
        victimId: victim.id,
        holdId: victim.holdId,
        walletId: victim.walletId,
        userId: victim.userId,
        confirmedAt: victim.confirmedAt.toISOString(),
        fraudulentTopups: measured.fraudulentTopups,
        fraudulentPayments: measured.fraudulentPayments,
        damage: Math.max(measured.fraudulentTopups, measured.fraudulentPayments),
        compensation: {
          status: paid ? 'paid' : 'pending',
          reimbursed: paid ? (victim.reimbursed ?? 0) : null,
          reversed: paid ? (victim.reversed ?? 0) : null,
          paidAt: paid ? (victim.paidAt as Date).toISOString() : null,
        },
      });
    }
    const paid = list.filter((v) => v.compensation.status === 'paid');
    return {
      asOf: asOf.toISOString(),
      victims: list.length,
      amount: list.reduce((sum, v) => sum + v.damage, 0),
      compensated: {
        victims: paid.length,
        reimbursed: paid.reduce((sum, v) => sum + (v.compensation.reimbursed ?? 0), 0),
        reversed: paid.reduce((sum, v) => sum + (v.compensation.reversed ?? 0), 0),
      },
      ledger: {
        reimbursed: await this.ledger.totalByCode(this.db, sandboxId, 'compensation', { debit: SystemAccount.FraudLosses }, asOf),
        reversed: await this.ledger.totalByCode(this.db, sandboxId, 'reversal', { credit: SystemAccount.TopupCard }, asOf),
      },
      list,
      timeline: timelineOf(list, asOf),
    };
  }
}

function timelineOf(list: VictimLine[], asOf: Date): DamageReport['timeline'] {
  const times = new Set<string>([asOf.toISOString()]);
  for (const v of list) {
    times.add(v.confirmedAt);
    if (v.compensation.paidAt) times.add(v.compensation.paidAt);
  }
  return [...times].sort().map((at) => {
    const confirmed = list.filter((v) => v.confirmedAt <= at);
    const paid = list.filter((v) => v.compensation.paidAt !== null && v.compensation.paidAt <= at);
    return {
      at,
      victims: confirmed.length,
      damage: confirmed.reduce((sum, v) => sum + v.damage, 0),
      compensated: paid.reduce((sum, v) => sum + v.damage, 0),
    };
  });
}
