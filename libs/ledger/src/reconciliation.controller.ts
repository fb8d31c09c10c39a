import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentSandbox, type SandboxContext } from '#core';
import { ReconciliationReportDto } from './dto/ledger.dto.js';
import type { ReconciliationReport } from './reconciliation.js';
import { Reconciliation } from './usecases/reconcile-ledger.js';

@ApiTags('reports')
@Controller('v1/reports')
export class ReconciliationController {
  constructor(private readonly reconciliation: Reconciliation) {}

  @Get('reconciliation')
  @Auth('secret')
  @ApiOperation({ operationId: 'getReconciliationReport', summary: "Prove the sandbox's ledger invariants on one consistent snapshot" })
  @ApiOkResponse({ type: ReconciliationReportDto })
  reconcile(@CurrentSandbox() sandbox: SandboxContext): Promise<ReconciliationReport> {
    return this.reconciliation.run(sandbox.id, sandbox.time.now());
  }
}
