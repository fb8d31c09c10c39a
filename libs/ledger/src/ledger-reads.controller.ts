import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentSandbox, type Page, PageQuery, type SandboxContext } from '#core';
import type { AccountPendingTransfer, AccountTransfer, AccountView } from './account-views.js';
import {
  AccountDto,
  AccountPageDto,
  AccountTransferPageDto,
  AccountsQuery,
  OverviewDto,
  PendingQuery,
  PendingTransferPageDto,
} from './dto/ledger.dto.js';
import { GetLedgerAccount } from './usecases/get-ledger-account.js';
import { GetOverview, type Overview } from './usecases/get-overview.js';
import { ListAccountPendingTransfers } from './usecases/list-account-pending-transfers.js';
import { ListAccountTransfers } from './usecases/list-account-transfers.js';
import { ListLedgerAccounts } from './usecases/list-ledger-accounts.js';

/** The operator's reads of the ledger: any account, its transfers and pending transfers, and the day's figures. */
@ApiTags('ledger')
@Auth('secret')
@Controller('v1')
export class LedgerReadsController {
  constructor(
    private readonly listAccounts: ListLedgerAccounts,
    private readonly getAccount: GetLedgerAccount,
    private readonly listTransfers: ListAccountTransfers,
    private readonly listPendingTransfers: ListAccountPendingTransfers,
    private readonly getOverview: GetOverview,
  ) {}

  @Get('ledger/accounts')
  @ApiOperation({
    operationId: 'listLedgerAccounts',
    summary: "The sandbox's ledger accounts (wallets, stores, system), newest first, with their balances",
  })
  @ApiOkResponse({ type: AccountPageDto })
  accounts(@CurrentSandbox() sandbox: SandboxContext, @Query() query: AccountsQuery): Promise<Page<AccountView>> {
    return this.listAccounts.execute(sandbox.id, { kind: query.kind, limit: query.limit, startingAfter: query.starting_after });
  }

  @Get('ledger/accounts/:id')
  @ApiOperation({ operationId: 'getLedgerAccount', summary: 'One ledger account: balance, available, reserved, holds' })
  @ApiOkResponse({ type: AccountDto })
  account(@CurrentSandbox() sandbox: SandboxContext, @Param('id') id: string): Promise<AccountView> {
    return this.getAccount.execute(sandbox.id, id);
  }

  @Get('ledger/accounts/:id/transfers')
  @ApiOperation({ operationId: 'listLedgerAccountTransfers', summary: "An account's transfers, newest first, signed for the account" })
  @ApiOkResponse({ type: AccountTransferPageDto })
  transfers(@CurrentSandbox() sandbox: SandboxContext, @Param('id') id: string, @Query() query: PageQuery): Promise<Page<AccountTransfer>> {
    return this.listTransfers.execute(sandbox.id, id, { limit: query.limit, startingAfter: query.starting_after });
  }

  @Get('ledger/accounts/:id/pending-transfers')
  @ApiOperation({
    operationId: 'listLedgerAccountPendingTransfers',
    summary: "An account's pending (two-phase) transfers, either side, newest first",
  })
  @ApiOkResponse({ type: PendingTransferPageDto })
  pending(
    @CurrentSandbox() sandbox: SandboxContext,
    @Param('id') id: string,
    @Query() query: PendingQuery,
  ): Promise<Page<AccountPendingTransfer>> {
    return this.listPendingTransfers.execute(sandbox.id, id, {
      status: query.status,
      limit: query.limit,
      startingAfter: query.starting_after,
    });
  }

  @Get('reports/overview')
  @ApiOperation({
    operationId: 'getOverviewReport',
    summary:
      "The operator's day from the ledger: wallets, what customers hold, open holds, today's top-ups by channel, payments and refunds",
  })
  @ApiOkResponse({ type: OverviewDto })
  overview(@CurrentSandbox() sandbox: SandboxContext): Promise<Overview> {
    return this.getOverview.execute(sandbox.id, sandbox.time.now());
  }
}
