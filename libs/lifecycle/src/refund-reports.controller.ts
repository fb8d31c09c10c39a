import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentSandbox, type Page, PageQuery, type SandboxContext } from '#core';
import { RefundReportDto, UnclaimedPageDto } from './dto/refunds.dto.js';
import type { RefundReport, UnclaimedBalance } from './refund-report.js';
import { GetRefundReport } from './usecases/get-refund-report.js';
import { ListUnclaimedBalances } from './usecases/list-unclaimed-balances.js';

@ApiTags('refund claims')
@Controller('v1')
export class RefundReportsController {
  constructor(
    private readonly reports: GetRefundReport,
    private readonly unclaimedBalances: ListUnclaimedBalances,
  ) {}

  @Get('reports/refunds')
  @Auth('secret')
  @ApiOperation({
    operationId: 'getRefundReport',
    summary: 'The refund campaign: balances outstanding, refunded, unclaimed, the deposit requirement; reconciled with the ledger',
  })
  @ApiOkResponse({ type: RefundReportDto })
  report(@CurrentSandbox() sandbox: SandboxContext): Promise<RefundReport> {
    return this.reports.execute(sandbox);
  }

  @Get('reports/refunds/unclaimed')
  @Auth('secret')
  @ApiOperation({ operationId: 'listUnclaimedBalances', summary: 'Balances nobody is claiming, by wallet' })
  @ApiOkResponse({ type: UnclaimedPageDto })
  unclaimed(@CurrentSandbox() sandbox: SandboxContext, @Query() query: PageQuery): Promise<Page<UnclaimedBalance>> {
    return this.unclaimedBalances.execute(sandbox, query);
  }
}
