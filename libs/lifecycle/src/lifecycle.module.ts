import { Module, type OnModuleInit } from '@nestjs/common';
import { SandboxData } from '#core';
import { IdentityModule } from '#identity';
import { LedgerModule } from '#ledger';
import { SandboxModule } from '#sandbox';
import { RefundClaimsController, ServiceController } from './lifecycle.controllers.js';
import { LifecycleProcessor } from './lifecycle.processor.js';
import { Notices } from './notices.js';
import { PayoutRuns } from './payout-runs.js';
import { RefundClaims } from './refund-claims.js';
import { RefundReports } from './refund-report.js';
import { ServiceSchedule } from './schedule.js';
import { ServiceTransitions } from './usecases/service-transitions.js';

const TABLES = ['lifecycle_payout_runs', 'lifecycle_refund_claims', 'lifecycle_notices', 'lifecycle_transitions'];

/** The service's way out: phases and the policy every module asks, the notice, refund claims, payouts, the refund report. */
@Module({
  imports: [SandboxModule, LedgerModule, IdentityModule],
  controllers: [ServiceController, RefundClaimsController],
  providers: [ServiceSchedule, ServiceTransitions, Notices, RefundClaims, PayoutRuns, RefundReports],
  exports: [ServiceSchedule, ServiceTransitions, Notices, RefundClaims, PayoutRuns],
})
export class LifecycleModule implements OnModuleInit {
  constructor(private readonly sandboxData: SandboxData) {}

  onModuleInit(): void {
    this.sandboxData.register('lifecycle', async (tx, sandboxId) => {
      for (const table of TABLES) await tx.rows(`DELETE FROM ${table} WHERE sandbox_id = $1`, [sandboxId]);
    });
  }
}

@Module({ imports: [LifecycleModule, SandboxModule], providers: [LifecycleProcessor] })
export class LifecycleWorkerModule {}
