import { Module, type OnModuleInit } from '@nestjs/common';
import { SandboxData } from '#core';
import { LedgerModule } from '#ledger';
import { SandboxModule } from '#sandbox';
import { PaymentsController, StoreCodesController, StoresController, WalletPaymentsController } from './capture.controllers.js';
import { PaymentsRepository } from './payments.repository.js';
import { StoreKeyResolver } from './store-keys.js';
import { StoreThrottle } from './store-throttle.js';
import { Stores } from './stores.js';
import { CapturePayment } from './usecases/capture-payment.js';
import { SettlePayment } from './usecases/settle-payment.js';
import { StoreCodes } from './usecases/store-codes.js';

const TABLES = ['capture_store_codes', 'capture_refunds', 'capture_payments', 'capture_terminals', 'capture_store_keys', 'capture_stores'];

@Module({
  imports: [LedgerModule, SandboxModule],
  controllers: [StoresController, PaymentsController, StoreCodesController, WalletPaymentsController],
  providers: [Stores, StoreKeyResolver, StoreThrottle, PaymentsRepository, CapturePayment, SettlePayment, StoreCodes],
  exports: [SettlePayment, Stores],
})
export class CaptureModule implements OnModuleInit {
  constructor(private readonly sandboxData: SandboxData) {}

  onModuleInit(): void {
    this.sandboxData.register('capture', async (tx, sandboxId) => {
      for (const table of TABLES) await tx.rows(`DELETE FROM ${table} WHERE sandbox_id = $1`, [sandboxId]);
    });
  }
}
