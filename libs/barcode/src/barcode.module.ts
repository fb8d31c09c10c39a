import { Module, type OnModuleInit } from '@nestjs/common';
import { Database, JobsModule, SandboxData, SealedData } from '#core';
import { IdentityModule } from '#identity';
import { LedgerModule } from '#ledger';
import { PaymentCodeRedemption } from './payment-code-redemption.repository.js';
import { PaymentCodesController } from './payment-codes.controller.js';
import { PAYMENT_CODE_PURPOSE, PaymentCodesRepository } from './payment-codes.repository.js';
import { IssuePaymentCode } from './usecases/issue-payment-code.js';
import { RetirePaymentCodes } from './usecases/retire-payment-codes.js';
import { RevealPaymentCode } from './usecases/reveal-payment-code.js';
import { BARCODE_JOBS } from './barcode.jobs.js';

@Module({
  imports: [LedgerModule, IdentityModule, JobsModule.forFeature(BARCODE_JOBS)],
  controllers: [PaymentCodesController],
  providers: [PaymentCodesRepository, IssuePaymentCode, RevealPaymentCode, RetirePaymentCodes, PaymentCodeRedemption],
  // Top-ups at a register redeem a customer's code as payments do.
  exports: [RetirePaymentCodes, PaymentCodeRedemption],
})
export class BarcodeModule implements OnModuleInit {
  constructor(
    private readonly sandboxData: SandboxData,
    private readonly sealedData: SealedData,
    private readonly db: Database,
    private readonly codes: PaymentCodesRepository,
  ) {}

  onModuleInit(): void {
    this.sealedData.register('payment codes', { purpose: PAYMENT_CODE_PURPOSE, ...this.codes.sealedCodes(this.db) });
    this.sandboxData.register('barcode', (tx, sandboxId) => this.codes.wipe(tx, sandboxId));
  }
}
