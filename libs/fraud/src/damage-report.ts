import { Injectable } from '@nestjs/common';
import { Database } from '#core';
import { LedgerService, SystemAccount, toYen } from '#ledger';
import { assessDamage } from './compensation.js';

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

interface VictimRow {
  id: string;
  hold_id: string;
  wallet_id: string;
  user_id: string | null;
  window_start: Date;
  confirmed_at: Date;
  status: 'pending' | 'paid';
  fraudulent_topups: string | null;
  fraudulent_payments: string | null;
  reimbursed: string | null;
  reversed: string | null;
  paid_at: Date | null;
}

/** 7pay's "808 people / ¥38,615,473": confirmed victims and their damage as of a time, with compensation. */
@Injectable()
export class DamageReports {
  constructor(
    private readonly db: Database,
    private readonly ledger: LedgerService,
  ) {}

  async asOf(sandboxId: string, asOf: Date): Promise<DamageReport> {
    const rows = await this.db.rows<VictimRow>(
      `SELECT * FROM fraud_victims WHERE sandbox_id = $1 AND confirmed_at <= $2 ORDER BY confirmed_at, id`,
      [sandboxId, asOf],
    );
    const list: VictimLine[] = [];
    for (const row of rows) {
      const measured =
        row.fraudulent_topups === null
          ? await assessDamage(this.db, sandboxId, row.wallet_id, row.window_start, row.confirmed_at)
          : { fraudulentTopups: toYen(row.fraudulent_topups), fraudulentPayments: toYen(row.fraudulent_payments) };
      const paid = row.status === 'paid' && row.paid_at !== null && row.paid_at <= asOf;
      list.push({
        victimId: row.id,
        holdId: row.hold_id,
        walletId: row.wallet_id,
        userId: row.user_id,
        confirmedAt: row.confirmed_at.toISOString(),
        fraudulentTopups: measured.fraudulentTopups,
        fraudulentPayments: measured.fraudulentPayments,
        damage: Math.max(measured.fraudulentTopups, measured.fraudulentPayments),
        compensation: {
          status: paid ? 'paid' : 'pending',
          reimbursed: paid ? toYen(row.reimbursed) : null,
          reversed: paid ? toYen(row.reversed) : null,
          paidAt: paid ? (row.paid_at as Date).toISOString() : null,
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
