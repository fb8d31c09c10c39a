import { Module, type OnModuleInit } from '@nestjs/common';
import { JobsModule, SandboxData } from '#core';
import { IdentityModule } from '#identity';
import { LedgerModule } from '#ledger';
import { SandboxModule } from '#sandbox';
import { PaymentsController } from './payments.controller.js';
import { PaymentsRepository } from './payments.repository.js';
import { StoreCodesController } from './store-codes.controller.js';
import { StoreCodesRepository } from './store-codes.repository.js';
import { StoreKeyResolver } from './store-keys.js';
import { StoreThrottle } from './store-throttle.js';
import { StoresController } from './stores.controller.js';
import { StoresRepository } from './stores.repository.js';
import { Stores } from './stores.js';
import { AddTerminal } from './usecases/add-terminal.js';
import { CapturePayment } from './usecases/capture-payment.js';
import { CreateStore } from './usecases/create-store.js';
import { GetPayment } from './usecases/get-payment.js';
import { GetStore } from './usecases/get-store.js';
import { GetStoreCodePayload } from './usecases/get-store-code-payload.js';
import { IssueStoreCode } from './usecases/issue-store-code.js';
import { IssueStoreKey } from './usecases/issue-store-key.js';
import { ListStoreKeys } from './usecases/list-store-keys.js';
import { RevokeStoreKey } from './usecases/revoke-store-key.js';
import { RollStoreKey } from './usecases/roll-store-key.js';
import { ListPayments } from './usecases/list-payments.js';
import { ListStores } from './usecases/list-stores.js';
import { PayStoreCode } from './usecases/pay-store-code.js';
import { SettlePayment } from './usecases/settle-payment.js';
import { WalletPaymentsController } from './wallet-payments.controller.js';
import { CAPTURE_JOBS } from './capture.jobs.js';

@Module({
  imports: [LedgerModule, SandboxModule, IdentityModule, JobsModule.forFeature(CAPTURE_JOBS)],
  controllers: [StoresController, PaymentsController, StoreCodesController, WalletPaymentsController],
  providers: [
    StoresRepository,
    PaymentsRepository,
    StoreCodesRepository,
    Stores,
    StoreKeyResolver,
    StoreThrottle,
    CreateStore,
    ListStores,
    GetStore,
    AddTerminal,
    IssueStoreKey,
    ListStoreKeys,
    RollStoreKey,
    RevokeStoreKey,
    CapturePayment,
    ListPayments,
    GetPayment,
    SettlePayment,
    IssueStoreCode,
    GetStoreCodePayload,
    PayStoreCode,
  ],
  exports: [SettlePayment, Stores],
})
export class CaptureModule implements OnModuleInit {
  constructor(
    private readonly sandboxData: SandboxData,
    private readonly storeCodes: StoreCodesRepository,
    private readonly payments: PaymentsRepository,
    private readonly stores: StoresRepository,
  ) {}

  onModuleInit(): void {
    this.sandboxData.register('capture', async (tx, sandboxId) => {
      await this.storeCodes.wipe(tx, sandboxId);
      await this.payments.wipe(tx, sandboxId);
      await this.stores.wipe(tx, sandboxId);
    });
  }
}
