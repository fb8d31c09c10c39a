import { Injectable } from '@nestjs/common';
import { Database, DomainError, Secrets, ServicePolicy, type UserPrincipal, newId, sha256Hex } from '#core';
import { LedgerService } from '#ledger';
import { newPaymentCode } from './code-format.js';

/** Five minutes of sandbox time, as Japanese code payments do. */
export const CODE_TTL_SECONDS = 5 * 60;

export interface IssuedPaymentCode {
  id: string;
  code: string;
  walletId: string;
  expiresAt: string;
}

/** One-time codes the app shows at the register, bound to the wallet and the device. */
@Injectable()
export class PaymentCodes {
  constructor(
    private readonly db: Database,
    private readonly secrets: Secrets,
    private readonly ledger: LedgerService,
    private readonly policy: ServicePolicy,
  ) {}

  /** Issues a code; the wallet's previous code stops working. */
  async issue(me: UserPrincipal): Promise<IssuedPaymentCode> {
    await this.policy.assertOpen(me.sandbox, 'payment');
    await this.ledger.assertNotOnHold(this.db, me.sandbox.id, me.walletId);
    const code = newPaymentCode();
    const id = newId('pcd');
    const now = me.sandbox.time.now();
    const expiresAt = new Date(now.getTime() + CODE_TTL_SECONDS * 1000);
    await this.db.transaction(async (tx) => {
      // One issuer per wallet at a time, so "one active code" holds without a race.
      await tx.rows(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`payment-code/${me.sandbox.id}/${me.walletId}`]);
      await tx.rows(
        `UPDATE barcode_payment_codes SET status = 'retired', sealed_code = NULL WHERE sandbox_id = $1 AND wallet_id = $2 AND status = 'active'`,
        [me.sandbox.id, me.walletId],
      );
      await tx.rows(
        `INSERT INTO barcode_payment_codes (sandbox_id, id, code_hash, sealed_code, wallet_id, user_id, device_id, status, expires_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, $9)`,
        [me.sandbox.id, id, sha256Hex(code), this.secrets.seal('payment-code', code), me.walletId, me.userId, me.deviceId, expiresAt, now],
      );
    });
    return { id, code, walletId: me.walletId, expiresAt: expiresAt.toISOString() };
  }

  /**
   * Retires the wallet's live codes that these devices were shown before
   * their sessions ended (every device's when `deviceIds` is null). A code
   * issued after the ending came from a new session and keeps working;
   * retiring twice changes nothing.
   */
  async retireIssuedBefore(sandboxId: string, walletId: string, deviceIds: string[] | null, endedAt: Date): Promise<void> {
    await this.db.rows(
      `UPDATE barcode_payment_codes SET status = 'retired', sealed_code = NULL
        WHERE sandbox_id = $1 AND wallet_id = $2 AND status = 'active' AND created_at <= $4 AND expires_at > $4
          AND ($3::text[] IS NULL OR device_id = ANY ($3::text[]))`,
      [sandboxId, walletId, deviceIds, endedAt],
    );
  }

  /** The live code for rendering, to its owner only. */
  async reveal(me: UserPrincipal, id: string): Promise<string> {
    const [row] = await this.db.rows<{ sealed_code: string | null; expires_at: Date }>(
      `SELECT sealed_code, expires_at FROM barcode_payment_codes WHERE sandbox_id = $1 AND id = $2 AND wallet_id = $3`,
      [me.sandbox.id, id, me.walletId],
    );
    if (!row) throw DomainError.notFound('payment code', id);
    if (!row.sealed_code) throw new DomainError('code_used', 'This code was used or replaced by a newer one');
    if (row.expires_at <= me.sandbox.time.now()) throw new DomainError('code_expired', 'This code has expired; issue a new one');
    return this.secrets.open('payment-code', row.sealed_code);
  }
}
