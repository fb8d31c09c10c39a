import { Injectable } from '@nestjs/common';
import { type Queryable, type SealedColumn, sealedColumn } from '#core';

/** Live codes are sealed under this purpose, each bound to its code's row. */
export const PAYMENT_CODE_PURPOSE = 'payment-code';

/** One-time payment codes, stored as their hash and, while a device may still show one, sealed. */
@Injectable()
export class PaymentCodesRepository {
  /** The sealed copies of live codes, for a key rotation. */
  sealedCodes(q: Queryable): Omit<SealedColumn, 'purpose'> {
    return sealedColumn(q, 'barcode_payment_codes', 'sealed_code');
  }

  /** Until commit: one issuer per wallet at a time. */
  async lockWallet(q: Queryable, sandboxId: string, walletId: string): Promise<void> {
    await q.rows(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`payment-code/${sandboxId}/${walletId}`]);
  }

  /** The wallet's active code stops working, and its sealed copy is forgotten. */
  async retireActive(q: Queryable, sandboxId: string, walletId: string): Promise<void> {
    await q.rows(
      `UPDATE barcode_payment_codes SET status = 'retired', sealed_code = NULL WHERE sandbox_id = $1 AND wallet_id = $2 AND status = 'active'`,
      [sandboxId, walletId],
    );
  }

  async insert(
    q: Queryable,
    code: {
      sandboxId: string;
      id: string;
      codeHash: string;
      sealedCode: string;
      walletId: string;
      userId: string;
      deviceId: string;
      stepUpAllowance: number | null;
      expiresAt: Date;
      createdAt: Date;
    },
  ): Promise<void> {
    await q.rows(
      `INSERT INTO barcode_payment_codes (sandbox_id, id, code_hash, sealed_code, wallet_id, user_id, device_id, step_up_allowance, status,
                                          expires_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9, $10)`,
      [
        code.sandboxId,
        code.id,
        code.codeHash,
        code.sealedCode,
        code.walletId,
        code.userId,
        code.deviceId,
        code.stepUpAllowance,
        code.expiresAt,
        code.createdAt,
      ],
    );
  }

  /**
   * Retires the wallet's live codes issued by `endedAt` to these devices
   * (every device's when `deviceIds` is null).
   */
  async retireIssuedBefore(q: Queryable, sandboxId: string, walletId: string, deviceIds: string[] | null, endedAt: Date): Promise<void> {
    await q.rows(
      `UPDATE barcode_payment_codes SET status = 'retired', sealed_code = NULL
        WHERE sandbox_id = $1 AND wallet_id = $2 AND status = 'active' AND created_at <= $4 AND expires_at > $4
          AND ($3::text[] IS NULL OR device_id = ANY ($3::text[]))`,
      [sandboxId, walletId, deviceIds, endedAt],
    );
  }

  /** A wallet's code: its sealed copy (null once used or replaced) and its expiry; null if the wallet has no such code. */
  async findOfWallet(
    q: Queryable,
    sandboxId: string,
    id: string,
    walletId: string,
  ): Promise<{ sealedCode: string | null; expiresAt: Date } | null> {
    const [row] = await q.rows<{ sealed_code: string | null; expires_at: Date }>(
      `SELECT sealed_code, expires_at FROM barcode_payment_codes WHERE sandbox_id = $1 AND id = $2 AND wallet_id = $3`,
      [sandboxId, id, walletId],
    );
    return row ? { sealedCode: row.sealed_code, expiresAt: row.expires_at } : null;
  }

  /** A sandbox reset wipes its codes. */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    await q.rows(`DELETE FROM barcode_payment_codes WHERE sandbox_id = $1`, [sandboxId]);
  }
}
