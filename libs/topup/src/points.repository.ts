import { Injectable } from '@nestjs/common';
import type { Queryable } from '#core';

/** Loyalty points per wallet, which a points top-up spends 1:1. */
@Injectable()
export class PointsRepository {
  /** The wallet's points (none yet is 0). */
  async balance(q: Queryable, sandboxId: string, walletId: string): Promise<number> {
    const [row] = await q.rows<{ balance: string }>(`SELECT balance FROM topup_points WHERE sandbox_id = $1 AND wallet_id = $2`, [
      sandboxId,
      walletId,
    ]);
    return Number(row?.balance ?? 0);
  }

  /** Adds points unless the balance would pass `max`: the new balance, or null when it would. */
  async add(q: Queryable, sandboxId: string, walletId: string, points: number, max: number): Promise<number | null> {
    if (points > max) return null;
    // VALUES, not SELECT … WHERE: Citus routes an upsert of VALUES to its shard.
    const [row] = await q.rows<{ balance: string }>(
      `INSERT INTO topup_points AS p (sandbox_id, wallet_id, balance) VALUES ($1, $2, $3)
       ON CONFLICT (sandbox_id, wallet_id) DO UPDATE SET balance = p.balance + EXCLUDED.balance WHERE p.balance + EXCLUDED.balance <= $4::bigint
       RETURNING balance`,
      [sandboxId, walletId, points, max],
    );
    return row ? Number(row.balance) : null;
  }

  /** Takes points from the balance; false when it does not cover them. */
  async spend(q: Queryable, sandboxId: string, walletId: string, points: number): Promise<boolean> {
    const rows = await q.rows(
      `UPDATE topup_points SET balance = balance - $3 WHERE sandbox_id = $1 AND wallet_id = $2 AND balance >= $3 RETURNING balance`,
      [sandboxId, walletId, points],
    );
    return rows.length > 0;
  }

  /** A sandbox reset wipes its points. */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    await q.rows(`DELETE FROM topup_points WHERE sandbox_id = $1`, [sandboxId]);
  }
}
