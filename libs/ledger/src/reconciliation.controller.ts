import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags, type SchemaObject } from '@nestjs/swagger';
import { Auth, CurrentSandbox, type SandboxContext } from '#core';
import { type Discrepancy, RECONCILIATION_CHECKS, Reconciliation, type ReconciliationReport } from './reconciliation.js';

class DiscrepancyDto implements Discrepancy {
  @ApiProperty({ enum: RECONCILIATION_CHECKS, description: 'The invariant broken' }) check: Discrepancy['check'];
  @ApiProperty() detail: string;
  @ApiPropertyOptional() accountId?: string;
  @ApiPropertyOptional() transferId?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'Yen' }) expected?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'Yen' }) actual?: number;
}

class AccountCountsDto {
  @ApiProperty({ type: 'integer' }) wallet: number;
  @ApiProperty({ type: 'integer' }) store: number;
  @ApiProperty({ type: 'integer' }) system: number;
}

class PendingTotalsDto {
  @ApiProperty({ type: 'integer' }) count: number;
  @ApiProperty({ type: 'integer', description: 'Yen' }) amount: number;
}

const YEN_BY_CODE: { type: 'object'; additionalProperties: SchemaObject } = { type: 'object', additionalProperties: { type: 'integer' } };

class WalletFlowsDto {
  @ApiProperty({ ...YEN_BY_CODE, description: 'Yen into wallets, by transfer code', example: { topup: 12000, refund: 800 } })
  in: Record<string, number>;
  @ApiProperty({ ...YEN_BY_CODE, description: 'Yen out of wallets, by transfer code', example: { payment: 5400 } })
  out: Record<string, number>;
}

class ReconciliationTotalsDto {
  @ApiProperty({ type: AccountCountsDto }) accounts: AccountCountsDto;
  @ApiProperty({ type: 'integer' }) transfers: number;
  @ApiProperty({ type: 'integer', description: 'Every entry summed: 0 when no money was created or lost' }) entriesSum: number;
  @ApiProperty({ type: 'integer' }) walletBalances: number;
  @ApiProperty({ type: 'integer' }) walletReserved: number;
  @ApiProperty({ type: 'integer' }) storeBalances: number;
  @ApiProperty({ type: PendingTotalsDto, description: 'Open pending transfers' }) pendingTransfers: PendingTotalsDto;
  @ApiProperty({ type: WalletFlowsDto }) walletFlows: WalletFlowsDto;
  @ApiProperty({ ...YEN_BY_CODE, description: 'Each system account by id', example: { 'system:topup:card': -12000 } })
  systemBalances: Record<string, number>;
}

class ReconciliationReportDto implements ReconciliationReport {
  @ApiProperty({ description: 'True when every invariant holds' })
  ok: boolean;
  @ApiProperty({ description: 'Sandbox time of the snapshot' })
  asOf: string;
  @ApiProperty({ description: 'Each broken invariant (at most 100 listed)', type: [DiscrepancyDto] })
  discrepancies: DiscrepancyDto[];
  @ApiProperty({ type: ReconciliationTotalsDto, description: 'Accounts, transfers, balances, pending holds and wallet flows by purpose' })
  totals: ReconciliationTotalsDto;
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
