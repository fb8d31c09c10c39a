import { Injectable } from '@nestjs/common';
import type { Queryable } from '#core';
import { toYen } from '#ledger';

/** A confirmed victim, and once paid, the compensation's figures. */
export interface VictimRecord {
  id: string;
  holdId: string;
  walletId: string;
  userId: string | null;
  /** Where the case began: what its damage reaches back to. */
  windowStart: Date;
  confirmedAt: Date;
  status: 'pending' | 'paid';
  /** Measured when the compensation was paid; null until then. */
  fraudulentTopups: number | null;
  fraudulentPayments: number | null;
  reimbursed: number | null;
  reversed: number | null;
  paidAt: Date | null;
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

const yenOrNull = (value: string | null): number | null => (value === null ? null : toYen(value));

const toVictim = (row: VictimRow): VictimRecord => ({
  id: row.id,
  holdId: row.hold_id,
  walletId: row.wallet_id,
  userId: row.user_id,
  windowStart: row.window_start,
  confirmedAt: row.confirmed_at,
  status: row.status,
  fraudulentTopups: yenOrNull(row.fraudulent_topups),
  fraudulentPayments: yenOrNull(row.fraudulent_payments),
  reimbursed: yenOrNull(row.reimbursed),
  reversed: yenOrNull(row.reversed),
  paidAt: row.paid_at,
});

/** Customers whose wallets were taken over, as an operator confirmed, and what they were paid back. */
@Injectable()
export class VictimsRepository {
  async insert(
    q: Queryable,
    victim: Pick<VictimRecord, 'id' | 'holdId' | 'walletId' | 'userId' | 'windowStart' | 'confirmedAt'> & { sandboxId: string },
  ): Promise<void> {
    await q.rows(
      `INSERT INTO fraud_victims (sandbox_id, id, hold_id, wallet_id, user_id, window_start, confirmed_at, status) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending')`,
      [victim.sandboxId, victim.id, victim.holdId, victim.walletId, victim.userId, victim.windowStart, victim.confirmedAt],
    );
  }

  /** The victim, locked until commit, or null. */
  async findForUpdate(q: Queryable, sandboxId: string, victimId: string): Promise<VictimRecord | null> {
    const [row] = await q.rows<VictimRow>(`SELECT * FROM fraud_victims WHERE sandbox_id = $1 AND id = $2 FOR UPDATE`, [
      sandboxId,
      victimId,
    ]);
    return row ? toVictim(row) : null;
  }

  /** The wallet's victims not yet compensated. */
  async pendingOfWallet(q: Queryable, sandboxId: string, walletId: string): Promise<string[]> {
    const rows = await q.rows<{ id: string }>(
      `SELECT id FROM fraud_victims WHERE sandbox_id = $1 AND wallet_id = $2 AND status = 'pending' ORDER BY id`,
      [sandboxId, walletId],
    );
    return rows.map((row) => row.id);
  }

  /** Victims confirmed by `asOf`, in that order. */
  async confirmedBy(q: Queryable, sandboxId: string, asOf: Date): Promise<VictimRecord[]> {
    const rows = await q.rows<VictimRow>(
      `SELECT * FROM fraud_victims WHERE sandbox_id = $1 AND confirmed_at <= $2 ORDER BY confirmed_at, id`,
      [sandboxId, asOf],
    );
    return rows.map(toVictim);
  }

  async markPaid(
    q: Queryable,
    sandboxId: string,
    victimId: string,
    paid: {
      fraudulentTopups: number;
      fraudulentPayments: number;
      reimbursed: number;
      reversed: number;
      reversedTopupIds: string[];
      at: Date;
    },
  ): Promise<void> {
    await q.rows(
      `UPDATE fraud_victims SET status = 'paid', fraudulent_topups = $3, fraudulent_payments = $4, reimbursed = $5, reversed = $6, reversed_topups = $7, paid_at = $8
        WHERE sandbox_id = $1 AND id = $2`,
      [
        sandboxId,
        victimId,
        paid.fraudulentTopups,
        paid.fraudulentPayments,
        paid.reimbursed,
        paid.reversed,
        JSON.stringify(paid.reversedTopupIds),
        paid.at,
      ],
    );
  }

  /** A sandbox reset wipes its victims. */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    await q.rows(`DELETE FROM fraud_victims WHERE sandbox_id = $1`, [sandboxId]);
  }
}
