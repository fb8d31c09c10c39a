import { Module, type OnModuleInit } from '@nestjs/common';
import { Database, JobsModule, SandboxData, SealedData } from '#core';
import { IdentityModule } from '#identity';
import { LedgerModule } from '#ledger';
import { SandboxModule } from '#sandbox';
import { NoticesRepository } from './notices.repository.js';
import { PayoutRunsController } from './payout-runs.controller.js';
import { PayoutRunsRepository } from './payout-runs.repository.js';
import { RefundClaimsController } from './refund-claims.controller.js';
import { RefundClaimsRepository } from './refund-claims.repository.js';
import { BANK_ACCOUNT_PURPOSE } from './refund-claims.js';
import { RefundReportsController } from './refund-reports.controller.js';
import { ServiceSchedule } from './schedule.js';
import { ServiceController } from './service.controller.js';
import { TransitionsRepository } from './transitions.repository.js';
import { ApplyTransitions } from './usecases/apply-transitions.js';
import { ChangeRefundClaim } from './usecases/change-refund-claim.js';
import { FanOutNotice } from './usecases/fan-out-notice.js';
import { FileRefundClaim } from './usecases/file-refund-claim.js';
import { ForcePasswordReset } from './usecases/force-password-reset.js';
import { GetPayoutRun } from './usecases/get-payout-run.js';
import { GetRefundClaim } from './usecases/get-refund-claim.js';
import { GetRefundReport } from './usecases/get-refund-report.js';
import { GetService } from './usecases/get-service.js';
import { ListPayoutRuns } from './usecases/list-payout-runs.js';
import { ListRefundClaims } from './usecases/list-refund-claims.js';
import { ListUnclaimedBalances } from './usecases/list-unclaimed-balances.js';
import { PayReleasedWallet } from './usecases/pay-released-wallet.js';
import { ReopenPaidClaim } from './usecases/reopen-paid-claim.js';
import { PayoutRuns } from './usecases/run-payouts.js';
import { ScheduleTransition } from './usecases/schedule-transition.js';
import { LIFECYCLE_JOBS } from './lifecycle.jobs.js';

/** The service's way out: phases and the policy every module asks, the notice, refund claims, payouts, the refund report. */
@Module({
  imports: [SandboxModule, LedgerModule, IdentityModule, JobsModule.forFeature(LIFECYCLE_JOBS)],
  controllers: [ServiceController, RefundClaimsController, PayoutRunsController, RefundReportsController],
  providers: [
    NoticesRepository,
    PayoutRunsRepository,
    RefundClaimsRepository,
    TransitionsRepository,
    ServiceSchedule,
    ApplyTransitions,
    ChangeRefundClaim,
    FanOutNotice,
    FileRefundClaim,
    ForcePasswordReset,
    GetPayoutRun,
    GetRefundClaim,
    GetRefundReport,
    GetService,
    ListPayoutRuns,
    ListRefundClaims,
    ListUnclaimedBalances,
    PayReleasedWallet,
    PayoutRuns,
    ReopenPaidClaim,
    ScheduleTransition,
  ],
  exports: [ServiceSchedule, ApplyTransitions, FanOutNotice, PayoutRuns, ReopenPaidClaim, PayReleasedWallet],
})
export class LifecycleModule implements OnModuleInit {
  constructor(
    private readonly sandboxData: SandboxData,
    private readonly sealedData: SealedData,
    private readonly db: Database,
    private readonly runs: PayoutRunsRepository,
    private readonly claims: RefundClaimsRepository,
    private readonly notices: NoticesRepository,
    private readonly transitions: TransitionsRepository,
  ) {}

  onModuleInit(): void {
    this.sealedData.register('refund bank accounts', { purpose: BANK_ACCOUNT_PURPOSE, ...this.claims.sealedBankAccounts(this.db) });
    this.sandboxData.register('lifecycle', async (tx, sandboxId) => {
      await this.runs.wipe(tx, sandboxId);
      await this.claims.wipe(tx, sandboxId);
      await this.notices.wipe(tx, sandboxId);
      await this.transitions.wipe(tx, sandboxId);
    });
  }
}
