import { Injectable } from '@nestjs/common';
import type { Queryable } from '#core';

/** A deposit code an ATM top-up waits on, kept as its hash. */
export interface AtmCode {
  topupId: string;
  expiresAt: Date;
  usedAt: Date | null;
}

@Injectable()
export class AtmCodesRepository {
  async insert(q: Queryable, code: { sandboxId: string; codeHash: string; topupId: string; expiresAt: Date }): Promise<void> {
    await q.rows(`INSERT INTO topup_atm_codes (sandbox_id, code_hash, topup_id, expires_at) VALUES ($1, $2, $3, $4)`, [
      code.sandboxId,
      code.codeHash,
      code.topupId,
      code.expiresAt,
    ]);
  }

  /** The deposit code, locked until commit, or null when there is no such code. */
  async findForUpdate(q: Queryable, sandboxId: string, codeHash: string): Promise<AtmCode | null> {
    const [row] = await q.rows<{ topup_id: string; expires_at: Date; used_at: Date | null }>(
      `SELECT topup_id, expires_at, used_at FROM topup_atm_codes WHERE sandbox_id = $1 AND code_hash = $2 FOR UPDATE`,
      [sandboxId, codeHash],
    );
    return row ? { topupId: row.topup_id, expiresAt: row.expires_at, usedAt: row.used_at } : null;
  }

  async markUsed(q: Queryable, sandboxId: string, codeHash: string, at: Date): Promise<void> {
    await q.rows(`UPDATE topup_atm_codes SET used_at = $3 WHERE sandbox_id = $1 AND code_hash = $2`, [sandboxId, codeHash, at]);
  }

  /** A sandbox reset wipes its deposit codes. */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    await q.rows(`DELETE FROM topup_atm_codes WHERE sandbox_id = $1`, [sandboxId]);
  }
}
