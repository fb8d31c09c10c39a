import { Injectable } from '@nestjs/common';
import { type ClientFacts, Database, Secrets, ServicePolicy, type UserPrincipal, newId, sha256Hex } from '#core';
import { StepUp } from '#identity';
import { walletOnHold } from '#ledger';
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
    private readonly policy: ServicePolicy,
    private readonly stepUp: StepUp,
  ) {}

  async execute(me: UserPrincipal, client: ClientFacts): Promise<IssuedPaymentCode> {
    await this.policy.assertOpen(me.sandbox, 'payment');
    const now = me.sandbox.time.now();
    const allowance = this.stepUp.paymentAllowance(me);
    const code = newPaymentCode();
    const id = newId('pcd');
    const expiresAt = new Date(now.getTime() + CODE_TTL_SECONDS * 1000);
    // The hold, the allowance, retiring the live code and storing this one: one round trip.
    const issued = await this.codes.issue(this.db, {
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
    if (issued.outcome === 'wallet_on_hold') throw walletOnHold(me.walletId);
    if (issued.outcome === 'allowance_used') {
      // A session held to an allowance owes a step-up, so this throws step_up_required with its challenge.
      await this.stepUp.require(me, client);
      throw new Error('a session held to a step-up allowance owed no step-up');
    }
    return { id, code, walletId: me.walletId, expiresAt: expiresAt.toISOString(), payableWithoutStepUp: issued.left };
  }
}
