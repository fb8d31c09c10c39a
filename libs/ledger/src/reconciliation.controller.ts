import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentSandbox, type SandboxContext } from '#core';
import { type Discrepancy, Reconciliation, type ReconciliationReport } from './reconciliation.js';

class ReconciliationReportDto implements ReconciliationReport {
  @ApiProperty({ description: 'True when every invariant holds' })
  ok: boolean;
  @ApiProperty({ description: 'Sandbox time of the snapshot' })
  asOf: string;
  @ApiProperty({ description: 'Each broken invariant (at most 100 listed)', type: 'array', items: { type: 'object' } })
  discrepancies: Discrepancy[];
  @ApiProperty({
    description: 'Accounts, transfers, balances, pending holds and wallet flows by purpose',
    type: 'object',
    additionalProperties: true,
  })
  totals: ReconciliationReport['totals'];
}

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
