import { Injectable } from '@nestjs/common';
import { type Queryable, type SealedColumn, sealedColumn } from '#core';

/** Live codes are sealed under this purpose, each bound to its code's row. */
export const PAYMENT_CODE_PURPOSE = 'payment-code';

/** 'allowance_used': the session is held to an allowance the wallet's payments of the last 24 hours used up. */
export type IssueOutcome = 'issued' | 'wallet_on_hold' | 'allowance_used';

export interface NewPaymentCode {
  sandboxId: string;
  id: string;
  codeHash: string;
  sealedCode: string;
  walletId: string;
  userId: string;
  deviceId: string;
  /** What the code may pay without a second factor, or null when the session passed one. */
  stepUpAllowance: number | null;
  expiresAt: Date;
  createdAt: Date;
}

/** One-time payment codes, stored as their hash and, while a device may still show one, sealed. */
@Injectable()
export class PaymentCodesRepository {
  /** The sealed copies of live codes, for a key rotation. */
  sealedCodes(q: Queryable): Omit<SealedColumn, 'purpose'> {
    return sealedColumn(q, 'barcode_payment_codes', 'sealed_code');
  }

  /** See sql/barcode_issue_code.sql: one statement, its own transaction. */
  async issue(q: Queryable, code: NewPaymentCode): Promise<{ outcome: IssueOutcome; left: number | null }> {
    const [row] = await q.rows<{ o_outcome: IssueOutcome; o_left: string | null }>(
      `SELECT * FROM barcode_issue_code($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        code.sandboxId,
        code.walletId,
        code.id,
        code.codeHash,
        code.sealedCode,
        code.userId,
        code.deviceId,
        code.stepUpAllowance,
        code.expiresAt,
        code.createdAt,
      ],
    );
    return { outcome: row.o_outcome, left: row.o_left === null ? null : Number(row.o_left) };
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
