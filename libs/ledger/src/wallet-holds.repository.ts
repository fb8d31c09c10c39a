import { Injectable } from '@nestjs/common';
import type { Queryable } from '#core';
import type { WalletHoldView } from './ledger.types.js';

/** The ledger's copy of the holds placed on wallets, and the tombstones of those released. */
@Injectable()
export class WalletHoldsRepository {
  /** Until commit: the placing and the release of one hold take turns, so neither misses the row the other is writing. */
  async lock(q: Queryable, sandboxId: string, holdId: string): Promise<void> {
    await q.rows(`SELECT pg_advisory_xact_lock(hashtextextended($1 || '/hold/' || $2, 0))`, [sandboxId, holdId]);
  }

  /** Records a hold unless it is already recorded or was released; true if it was recorded now. */
  async insertUnlessReleased(
    q: Queryable,
    sandboxId: string,
    hold: { holdId: string; walletId: string; reason: string; at: Date },
  ): Promise<boolean> {
    const inserted = await q.rows(
      `INSERT INTO ledger_wallet_holds (sandbox_id, hold_id, wallet_id, reason, placed_at)
       SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (SELECT 1 FROM ledger_released_holds WHERE sandbox_id = $1 AND hold_id = $2)
       ON CONFLICT (sandbox_id, hold_id) DO NOTHING RETURNING 1`,
      [sandboxId, hold.holdId, hold.walletId, hold.reason, hold.at],
    );
    return inserted.length === 1;
  }

  /** The tombstone of a released hold. */
  async markReleased(q: Queryable, sandboxId: string, holdId: string, at: Date): Promise<void> {
    await q.rows(`INSERT INTO ledger_released_holds (sandbox_id, hold_id, released_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
      sandboxId,
      holdId,
      at,
    ]);
  }

  /** Removes a hold; the wallet it was on, or null if it was not recorded. */
  async delete(q: Queryable, sandboxId: string, holdId: string): Promise<string | null> {
    const [removed] = await q.rows<{ wallet_id: string }>(
      `DELETE FROM ledger_wallet_holds WHERE sandbox_id = $1 AND hold_id = $2 RETURNING wallet_id`,
      [sandboxId, holdId],
    );
    return removed?.wallet_id ?? null;
  }

  /** A wallet's open holds, oldest first (sql/ledger_wallet_hold_views.sql). */
  async ofWallet(q: Queryable, sandboxId: string, walletId: string): Promise<WalletHoldView[]> {
    const [row] = await q.rows<{ holds: WalletHoldView[] }>(
      `SELECT holds FROM ledger_wallet_hold_views WHERE sandbox_id = $1 AND wallet_id = $2`,
      [sandboxId, walletId],
    );
    return row?.holds ?? [];
  }

  /** The sandbox's open holds. */
  async count(q: Queryable, sandboxId: string): Promise<number> {
    const [row] = await q.rows<{ n: string }>(`SELECT count(*) AS n FROM ledger_wallet_holds WHERE sandbox_id = $1`, [sandboxId]);
    return Number(row.n);
  }

  /** A sandbox reset wipes the holds and their tombstones. */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    await q.rows(`DELETE FROM ledger_wallet_holds WHERE sandbox_id = $1`, [sandboxId]);
    await q.rows(`DELETE FROM ledger_released_holds WHERE sandbox_id = $1`, [sandboxId]);
  }
}
