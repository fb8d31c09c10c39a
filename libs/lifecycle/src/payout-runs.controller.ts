import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentSandbox, NoBody, type Page, PageQuery, type SandboxContext } from '#core';
import { PayoutRunDto, PayoutRunPageDto, PayoutRunProgressDto } from './dto/refunds.dto.js';
import type { PayoutRun } from './payout-runs.repository.js';
import { GetPayoutRun, type PayoutRunProgress } from './usecases/get-payout-run.js';
import { ListPayoutRuns } from './usecases/list-payout-runs.js';
import { PayoutRuns } from './usecases/run-payouts.js';

@ApiTags('refund claims')
@Controller('v1')
export class PayoutRunsController {
  constructor(
    private readonly runs: PayoutRuns,
    private readonly runList: ListPayoutRuns,
    private readonly runView: GetPayoutRun,
  ) {}

  @Post('payout-runs')
  @NoBody()
  @HttpCode(202)
  @Auth('secret')
  @ApiOperation({
    operationId: 'startPayoutRun',
    summary: 'Pay what is payable now: joins the running payout run or starts one (claims also start runs by themselves)',
  })
  @ApiAcceptedResponse({ type: PayoutRunDto })
  startRun(@CurrentSandbox() sandbox: SandboxContext): Promise<PayoutRun> {
    return this.runs.ensure(sandbox, 'operator');
  }

  @Get('payout-runs')
  @Auth('secret')
  @ApiOperation({ operationId: 'listPayoutRuns', summary: 'Payout runs and their progress, newest first' })
  @ApiOkResponse({ type: PayoutRunPageDto })
  listRuns(@CurrentSandbox() sandbox: SandboxContext, @Query() query: PageQuery): Promise<Page<PayoutRun>> {
    return this.runList.execute(sandbox.id, query);
  }

  @Get('payout-runs/:id')
  @Auth('secret')
  @ApiOperation({
    operationId: 'getPayoutRun',
    summary: 'One payout run: batches done, claims paid, yen paid, bounces, claims waiting on a fraud hold',
  })
  @ApiOkResponse({ type: PayoutRunDto })
  getRun(@CurrentSandbox() sandbox: SandboxContext, @Param('id') id: string): Promise<PayoutRun> {
    return this.runView.execute(sandbox.id, id);
  }

  @Get('payout-runs/:id/progress')
  @Auth('secret')
  @ApiOperation({
    operationId: 'getPayoutRunProgress',
    summary: "A payout run's progress and the wallets it paid over sandbox time, from the ledger's payouts",
  })
  @ApiOkResponse({ type: PayoutRunProgressDto })
  runProgress(@CurrentSandbox() sandbox: SandboxContext, @Param('id') id: string): Promise<PayoutRunProgress> {
    return this.runView.progress(sandbox, id);
  }
}
