import { ApiProperty, ApiPropertyOptional, type SchemaObject } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '#core';
import type { AccountPendingTransfer, AccountTransfer, AccountView } from '../account-views.js';
import type { AccountKind, PendingStatus } from '../ledger.types.js';
import { type Discrepancy, RECONCILIATION_CHECKS, type ReconciliationReport } from '../reconciliation.js';

export class WalletHoldDto {
  @ApiProperty({ example: 'hld_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty({ description: 'Why the wallet is held' }) reason: string;
  @ApiProperty({ description: 'Sandbox time the hold was placed' }) placedAt: string;
}

export class CustomerWalletDto {
  @ApiProperty({ example: 'wal_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty({ type: 'integer', example: 5000, description: 'Yen' }) balance: number;
  @ApiProperty({ type: 'integer', example: 5000, description: 'Balance less what pending transfers reserve (yen)' }) available: number;
  @ApiProperty({ enum: ['active', 'on_hold'], description: '`on_hold`: a fraud review refuses its payments and top-ups' })
  status: 'active' | 'on_hold';
  @ApiProperty({ type: [WalletHoldDto], description: 'The open holds, oldest first' }) holds: WalletHoldDto[];
}

export class WalletTransactionDto {
  @ApiProperty({ example: 'trf_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty({
    example: 'topup',
    description: 'Why the money moved: sandbox_funding, topup, payment, refund, payout, reversal, compensation, fee',
  })
  type: string;
  @ApiProperty({ type: 'integer', example: -1200, description: 'Yen; negative when money left the wallet' }) amount: number;
  @ApiProperty({ description: 'Sandbox time of the posting' }) createdAt: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What caused it (paymentId, topupId and channel, claimId…)' })
  reference: Record<string, unknown>;
}

export class WalletTransactionPageDto {
  @ApiProperty({ type: [WalletTransactionDto] }) data: WalletTransactionDto[];
  @ApiProperty() has_more: boolean;
}

export class DiscrepancyDto implements Discrepancy {
  @ApiProperty({ enum: RECONCILIATION_CHECKS, description: 'The invariant broken' }) check: Discrepancy['check'];
  @ApiProperty() detail: string;
  @ApiPropertyOptional() accountId?: string;
  @ApiPropertyOptional() transferId?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'Yen' }) expected?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'Yen' }) actual?: number;
}

export class AccountCountsDto {
  @ApiProperty({ type: 'integer' }) wallet: number;
  @ApiProperty({ type: 'integer' }) store: number;
  @ApiProperty({ type: 'integer' }) system: number;
}

export class PendingTotalsDto {
  @ApiProperty({ type: 'integer' }) count: number;
  @ApiProperty({ type: 'integer', description: 'Yen' }) amount: number;
}

const YEN_BY_CODE: { type: 'object'; additionalProperties: SchemaObject } = { type: 'object', additionalProperties: { type: 'integer' } };

export class WalletFlowsDto {
  @ApiProperty({ ...YEN_BY_CODE, description: 'Yen into wallets, by transfer code', example: { topup: 12000, refund: 800 } })
  in: Record<string, number>;
  @ApiProperty({ ...YEN_BY_CODE, description: 'Yen out of wallets, by transfer code', example: { payment: 5400 } })
  out: Record<string, number>;
}

export class ReconciliationTotalsDto {
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

export class ReconciliationReportDto implements ReconciliationReport {
  @ApiProperty({ description: 'True when every invariant holds' })
  ok: boolean;
  @ApiProperty({ description: 'Sandbox time of the snapshot' })
  asOf: string;
  @ApiProperty({ description: 'Each broken invariant (at most 100 listed)', type: [DiscrepancyDto] })
  discrepancies: DiscrepancyDto[];
  @ApiProperty({ type: ReconciliationTotalsDto, description: 'Accounts, transfers, balances, pending holds and wallet flows by purpose' })
  totals: ReconciliationTotalsDto;
}

const KINDS: AccountKind[] = ['wallet', 'store', 'system'];
const PENDING_STATUSES: PendingStatus[] = ['pending', 'posted', 'voided', 'expired'];

export class AccountsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: KINDS })
  @IsOptional()
  @IsIn(KINDS)
  kind?: AccountKind;
}

export class PendingQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PENDING_STATUSES })
  @IsOptional()
  @IsIn(PENDING_STATUSES)
  status?: PendingStatus;
}

export class AccountDto implements AccountView {
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

export class AccountPageDto {
  @ApiProperty({ type: [AccountDto] }) data!: AccountDto[];
  @ApiProperty() has_more!: boolean;
}

export class AccountTransferDto implements AccountTransfer {
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

export class AccountTransferPageDto {
  @ApiProperty({ type: [AccountTransferDto] }) data!: AccountTransferDto[];
  @ApiProperty() has_more!: boolean;
}

export class PendingTransferDto implements AccountPendingTransfer {
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

export class PendingTransferPageDto {
  @ApiProperty({ type: [PendingTransferDto] }) data!: PendingTransferDto[];
  @ApiProperty() has_more!: boolean;
}

export class FigureDto {
  @ApiProperty({ type: 'integer' }) count!: number;
  @ApiProperty({ type: 'integer', description: 'Yen' }) amount!: number;
}

export class TopupsByChannelDto {
  @ApiProperty({ type: FigureDto }) card!: FigureDto;
  @ApiProperty({ type: FigureDto }) bank_debit!: FigureDto;
  @ApiProperty({ type: FigureDto }) atm!: FigureDto;
  @ApiProperty({ type: FigureDto }) register_cash!: FigureDto;
  @ApiProperty({ type: FigureDto }) points!: FigureDto;
}

export class TodayDto {
  @ApiProperty({ type: TopupsByChannelDto, description: 'Top-ups posted to wallets today, by channel' }) topups!: TopupsByChannelDto;
  @ApiProperty({ type: FigureDto, description: 'Payments posted today (captures and store-code payments)' }) payments!: FigureDto;
  @ApiProperty({ type: FigureDto, description: 'Store refunds posted back to wallets today' }) refunds!: FigureDto;
}

export class DayDto {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ enum: ['Asia/Tokyo'] }) timeZone!: 'Asia/Tokyo';
}

export class OverviewDto {
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
