import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Auth, CurrentSandbox, type Page, PageQuery, type SandboxContext } from '#core';
import { type AccountPendingTransfer, type AccountTransfer, type AccountView, LedgerReads, type Overview } from './ledger-reads.js';
import type { AccountKind, PendingStatus } from './ledger.types.js';

const KINDS: AccountKind[] = ['wallet', 'store', 'system'];
const PENDING_STATUSES: PendingStatus[] = ['pending', 'posted', 'voided', 'expired'];

class AccountsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: KINDS })
  @IsOptional()
  @IsIn(KINDS)
  kind?: AccountKind;
}

class PendingQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PENDING_STATUSES })
  @IsOptional()
  @IsIn(PENDING_STATUSES)
  status?: PendingStatus;
}

class AccountDto implements AccountView {
  @ApiProperty({
    example: 'wal_01kaxq3m5v8c0000000000000000',
    description: 'wal_… for a wallet, str_… for a store, system:… for a system account',
  })
  id!: string;
  @ApiProperty({ enum: KINDS }) kind!: AccountKind;
  @ApiProperty({
    type: 'integer',
    description:
      'Yen. Wallets: the stored balance; stores and system accounts: the sum of their entries (system accounts go negative as money enters)',
  })
  balance!: number;
  @ApiProperty({ type: 'integer', description: 'Balance less what open pending transfers reserve' }) available!: number;
  @ApiProperty({ type: 'integer' }) reserved!: number;
  @ApiProperty({ type: 'integer', description: 'Open fraud holds on the wallet: its payments are refused while any is open' })
  holds!: number;
  @ApiProperty() createdAt!: string;
}

class AccountPageDto {
  @ApiProperty({ type: [AccountDto] }) data!: AccountDto[];
  @ApiProperty() has_more!: boolean;
}

class AccountTransferDto implements AccountTransfer {
  @ApiProperty({ example: 'trf_01kaxq3m5v8c0000000000000000' }) id!: string;
  @ApiProperty({ description: 'Why the money moved: sandbox_funding, topup, payment, refund, payout, reversal, compensation, fee' })
  code!: string;
  @ApiProperty({ type: 'integer', description: 'Yen, signed for the account read: positive when money came in' }) amount!: number;
  @ApiProperty() debitAccountId!: string;
  @ApiProperty() creditAccountId!: string;
  @ApiProperty() postedAt!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What caused it (paymentId, topupId and channel, claimId…)' })
  metadata!: Record<string, unknown>;
}

class AccountTransferPageDto {
  @ApiProperty({ type: [AccountTransferDto] }) data!: AccountTransferDto[];
  @ApiProperty() has_more!: boolean;
}

class PendingTransferDto implements AccountPendingTransfer {
  @ApiProperty({ example: 'pnd_01kaxq3m5v8c0000000000000000' }) id!: string;
  @ApiProperty() code!: string;
  @ApiProperty({ type: 'integer', description: 'Reserved amount (yen)' }) amount!: number;
  @ApiProperty() debitAccountId!: string;
  @ApiProperty() creditAccountId!: string;
  @ApiProperty({ enum: PENDING_STATUSES }) status!: PendingStatus;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) expiresAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) resolvedAt!: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'What was posted (a capture may post less)' }) postedAmount!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'The transfer its posting made' }) transferId!: string | null;
}

class PendingTransferPageDto {
  @ApiProperty({ type: [PendingTransferDto] }) data!: PendingTransferDto[];
  @ApiProperty() has_more!: boolean;
}

class FigureDto {
  @ApiProperty({ type: 'integer' }) count!: number;
  @ApiProperty({ type: 'integer', description: 'Yen' }) amount!: number;
}

class TopupsByChannelDto {
  @ApiProperty({ type: FigureDto }) card!: FigureDto;
  @ApiProperty({ type: FigureDto }) bank_debit!: FigureDto;
  @ApiProperty({ type: FigureDto }) atm!: FigureDto;
  @ApiProperty({ type: FigureDto }) register_cash!: FigureDto;
  @ApiProperty({ type: FigureDto }) points!: FigureDto;
}

class TodayDto {
  @ApiProperty({ type: TopupsByChannelDto, description: 'Top-ups posted to wallets today, by channel' }) topups!: TopupsByChannelDto;
  @ApiProperty({ type: FigureDto, description: 'Payments posted today (captures and store-code payments)' }) payments!: FigureDto;
  @ApiProperty({ type: FigureDto, description: 'Store refunds posted back to wallets today' }) refunds!: FigureDto;
}

class DayDto {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ enum: ['Asia/Tokyo'] }) timeZone!: 'Asia/Tokyo';
}

class OverviewDto {
  @ApiProperty({ description: 'Sandbox time of the snapshot' }) asOf!: string;
  @ApiProperty({ type: DayDto, description: 'The sandbox day "today" covers: midnight to midnight, Japan time' }) day!: DayDto;
  @ApiProperty({ type: 'integer', description: 'Wallet accounts' }) wallets!: number;
  @ApiProperty({ type: 'integer' }) walletsWithBalance!: number;
  @ApiProperty({ type: 'integer', description: 'What customers hold: the sum of the wallet balances (yen)' }) outstanding!: number;
  @ApiProperty({ type: 'integer', description: 'Of which reserved by open pending transfers (pre-authorisations, held top-ups)' })
  reserved!: number;
  @ApiProperty({ type: 'integer' }) walletsOnHold!: number;
  @ApiProperty({ type: 'integer', description: 'Open fraud holds placed on wallets' }) openHolds!: number;
  @ApiProperty({ type: TodayDto }) today!: TodayDto;
}

/** The operator's reads of the ledger: any account, its transfers and pending transfers, and the day's figures. */
@ApiTags('ledger')
@Auth('secret')
@Controller('v1')
export class LedgerReadsController {
  constructor(private readonly reads: LedgerReads) {}

  @Get('ledger/accounts')
  @ApiOperation({
    operationId: 'listLedgerAccounts',
    summary: "The sandbox's ledger accounts (wallets, stores, system), newest first, with their balances",
  })
  @ApiOkResponse({ type: AccountPageDto })
  accounts(@CurrentSandbox() sandbox: SandboxContext, @Query() query: AccountsQuery): Promise<Page<AccountView>> {
    return this.reads.accounts(sandbox.id, { kind: query.kind, limit: query.limit, startingAfter: query.starting_after });
  }

  @Get('ledger/accounts/:id')
  @ApiOperation({ operationId: 'getLedgerAccount', summary: 'One ledger account: balance, available, reserved, holds' })
  @ApiOkResponse({ type: AccountDto })
  account(@CurrentSandbox() sandbox: SandboxContext, @Param('id') id: string): Promise<AccountView> {
    return this.reads.account(sandbox.id, id);
  }

  @Get('ledger/accounts/:id/transfers')
  @ApiOperation({ operationId: 'listLedgerAccountTransfers', summary: "An account's transfers, newest first, signed for the account" })
  @ApiOkResponse({ type: AccountTransferPageDto })
  transfers(@CurrentSandbox() sandbox: SandboxContext, @Param('id') id: string, @Query() query: PageQuery): Promise<Page<AccountTransfer>> {
    return this.reads.transfers(sandbox.id, id, { limit: query.limit, startingAfter: query.starting_after });
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
    return this.reads.pendingTransfers(sandbox.id, id, { status: query.status, limit: query.limit, startingAfter: query.starting_after });
  }

  @Get('reports/overview')
  @ApiOperation({
    operationId: 'getOverviewReport',
    summary:
      "The operator's day from the ledger: wallets, what customers hold, open holds, today's top-ups by channel, payments and refunds",
  })
  @ApiOkResponse({ type: OverviewDto })
  overview(@CurrentSandbox() sandbox: SandboxContext): Promise<Overview> {
    return this.reads.overview(sandbox.id, sandbox.time.now());
  }
}
