import { Injectable } from '@nestjs/common';
import { Database, Secrets, ServicePolicy, type UserPrincipal, newId, sha256Hex } from '#core';
import { LedgerService } from '#ledger';
import { newPaymentCode } from '../code-format.js';
import { PAYMENT_CODE_PURPOSE, PaymentCodesRepository } from '../payment-codes.repository.js';

/** Five minutes of sandbox time, as Japanese code payments do. */
export const CODE_TTL_SECONDS = 5 * 60;

export interface IssuedPaymentCode {
  id: string;
  code: string;
  walletId: string;
  expiresAt: string;
}

/** A one-time code the app shows at the register, bound to the wallet and the device; the wallet's previous code stops working. */
@Injectable()
export class IssuePaymentCode {
  constructor(
    private readonly db: Database,
    private readonly codes: PaymentCodesRepository,
    private readonly secrets: Secrets,
    private readonly ledger: LedgerService,
    private readonly policy: ServicePolicy,
  ) {}

  async execute(me: UserPrincipal): Promise<IssuedPaymentCode> {
    await this.policy.assertOpen(me.sandbox, 'payment');
    await this.ledger.assertNotOnHold(this.db, me.sandbox.id, me.walletId);
    const code = newPaymentCode();
    const id = newId('pcd');
    const now = me.sandbox.time.now();
    const expiresAt = new Date(now.getTime() + CODE_TTL_SECONDS * 1000);
    await this.db.transaction(async (tx) => {
      // One issuer per wallet at a time, so "one active code" holds without a race.
      await this.codes.lockWallet(tx, me.sandbox.id, me.walletId);
      await this.codes.retireActive(tx, me.sandbox.id, me.walletId);
      await this.codes.insert(tx, {
        sandboxId: me.sandbox.id,
        id,
        codeHash: sha256Hex(code),
        sealedCode: this.secrets.seal(PAYMENT_CODE_PURPOSE, { sandboxId: me.sandbox.id, id }, code),
        walletId: me.walletId,
        userId: me.userId,
        deviceId: me.deviceId,
        expiresAt,
        createdAt: now,
      });
    });
    return { id, code, walletId: me.walletId, expiresAt: expiresAt.toISOString() };
  }
}
