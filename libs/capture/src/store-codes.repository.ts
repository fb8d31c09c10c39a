import { Injectable } from '@nestjs/common';
import type { Queryable } from '#core';

/** Store-presented codes (MPM): their payload, and whether an amount-bearing one was paid. */
@Injectable()
export class StoreCodesRepository {
  async insert(
    q: Queryable,
    code: {
      sandboxId: string;
      id: string;
      storeId: string;
      terminalId: string | null;
      amount: number | null;
      payload: string;
      createdAt: Date;
    },
  ): Promise<void> {
    await q.rows(
      `INSERT INTO capture_store_codes (sandbox_id, id, store_id, terminal_id, amount, payload, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'active', $7)`,
      [code.sandboxId, code.id, code.storeId, code.terminalId, code.amount, code.payload, code.createdAt],
    );
  }

  /** A store's own code's payload. */
  async findPayload(q: Queryable, sandboxId: string, id: string, storeId: string): Promise<string | null> {
    const [row] = await q.rows<{ payload: string }>(
      `SELECT payload FROM capture_store_codes WHERE sandbox_id = $1 AND id = $2 AND store_id = $3`,
      [sandboxId, id, storeId],
    );
    return row?.payload ?? null;
  }

  /** A code about to be paid, its row locked until commit. */
  async findForPayment(
    q: Queryable,
    sandboxId: string,
    id: string,
  ): Promise<{ storeId: string; terminalId: string | null; amount: number | null; status: string } | null> {
    const [row] = await q.rows<{ store_id: string; terminal_id: string | null; amount: string | null; status: string }>(
      `SELECT store_id, terminal_id, amount, status FROM capture_store_codes WHERE sandbox_id = $1 AND id = $2 FOR UPDATE`,
      [sandboxId, id],
    );
    return row
      ? { storeId: row.store_id, terminalId: row.terminal_id, amount: row.amount === null ? null : Number(row.amount), status: row.status }
      : null;
  }

  async markUsed(q: Queryable, sandboxId: string, id: string, paymentId: string, at: Date): Promise<void> {
    await q.rows(`UPDATE capture_store_codes SET status = 'used', payment_id = $3, used_at = $4 WHERE sandbox_id = $1 AND id = $2`, [
      sandboxId,
      id,
      paymentId,
      at,
    ]);
  }

  /** A sandbox reset wipes its store codes. */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    await q.rows(`DELETE FROM capture_store_codes WHERE sandbox_id = $1`, [sandboxId]);
  }
}
