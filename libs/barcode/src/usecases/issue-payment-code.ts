import { Injectable } from '@nestjs/common';
import { type ClientFacts, Database, Secrets, ServicePolicy, type UserPrincipal, newId, sha256Hex } from '#core';
import { StepUp } from '#identity';
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
  payableWithoutStepUp: number | null;
}

/**
 * A one-time code the app shows at the register, bound to the wallet and the device; the wallet's previous
 * code stops working. Shown without a recent second factor, it carries the sandbox's step-up allowance, and
 * once the wallet's payments of the last 24 hours used that up, the code is issued only after step-up.
 */
@Injectable()
export class IssuePaymentCode {
  constructor(
    private readonly db: Database,
    private readonly codes: PaymentCodesRepository,
    private readonly secrets: Secrets,
    private readonly ledger: LedgerService,
    private readonly policy: ServicePolicy,
    private readonly stepUp: StepUp,
  ) {}

  async execute(me: UserPrincipal, client: ClientFacts): Promise<IssuedPaymentCode> {
    await this.policy.assertOpen(me.sandbox, 'payment');
    await this.ledger.assertNotOnHold(this.db, me.sandbox.id, me.walletId);
    const now = me.sandbox.time.now();
    const allowance = this.stepUp.paymentAllowance(me);
    const left = allowance === null ? null : await this.ledger.walletAllowance(this.db, me.sandbox.id, me.walletId, allowance, now, false);
    if (left !== null && left <= 0) await this.stepUp.require(me, client);
    const code = newPaymentCode();
    const id = newId('pcd');
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
        stepUpAllowance: allowance,
        expiresAt,
        createdAt: now,
      });
    });
    return { id, code, walletId: me.walletId, expiresAt: expiresAt.toISOString(), payableWithoutStepUp: left };
  }
}
