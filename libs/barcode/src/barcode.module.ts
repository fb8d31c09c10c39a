import { Module, type OnModuleInit } from '@nestjs/common';
import { SandboxData } from '#core';
import { LedgerModule } from '#ledger';
import { PaymentCodesController } from './payment-codes.controller.js';
import { PaymentCodes } from './payment-codes.js';

@Module({
  imports: [LedgerModule],
  controllers: [PaymentCodesController],
  providers: [PaymentCodes],
  exports: [PaymentCodes],
})
export class BarcodeModule implements OnModuleInit {
  constructor(private readonly sandboxData: SandboxData) {}

  onModuleInit(): void {
    this.sandboxData.register('barcode', async (tx, sandboxId) => {
      await tx.rows(`DELETE FROM barcode_payment_codes WHERE sandbox_id = $1`, [sandboxId]);
    });
  }
}
