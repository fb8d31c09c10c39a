import { Injectable } from '@nestjs/common';
import { Database, DomainError, Secrets, type UserPrincipal } from '#core';
import { PAYMENT_CODE_PURPOSE, PaymentCodesRepository } from '../payment-codes.repository.js';

/** The live code for rendering, to its owner only. */
@Injectable()
export class RevealPaymentCode {
  constructor(
    private readonly db: Database,
    private readonly codes: PaymentCodesRepository,
    private readonly secrets: Secrets,
  ) {}

  async execute(me: UserPrincipal, id: string): Promise<string> {
    const code = await this.codes.findOfWallet(this.db, me.sandbox.id, id, me.walletId);
    if (!code) throw DomainError.notFound('payment code', id);
    if (!code.sealedCode) throw new DomainError('code_used', 'This code was used or replaced by a newer one');
    if (code.expiresAt <= me.sandbox.time.now()) throw new DomainError('code_expired', 'This code has expired; issue a new one');
    return this.secrets.open(PAYMENT_CODE_PURPOSE, { sandboxId: me.sandbox.id, id }, code.sealedCode);
  }
}
