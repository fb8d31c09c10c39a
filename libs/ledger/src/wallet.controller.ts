import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentPrincipal, Database, DomainError, type Page, PageQuery, type UserPrincipal } from '#core';
import { LedgerService } from './ledger.service.js';
import { toYen } from './ledger.types.js';

class WalletHoldDto {
  @ApiProperty({ example: 'hld_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty({ description: 'Why the wallet is held' }) reason: string;
  @ApiProperty({ description: 'Sandbox time the hold was placed' }) placedAt: string;
}

class CustomerWalletDto {
  @ApiProperty({ example: 'wal_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty({ type: 'integer', example: 5000, description: 'Yen' }) balance: number;
  @ApiProperty({ type: 'integer', example: 5000, description: 'Balance less what pending transfers reserve (yen)' }) available: number;
  @ApiProperty({ enum: ['active', 'on_hold'], description: '`on_hold`: a fraud review refuses its payments and top-ups' })
  status: 'active' | 'on_hold';
  @ApiProperty({ type: [WalletHoldDto], description: 'The open holds, oldest first' }) holds: WalletHoldDto[];
}

class WalletTransactionDto {
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

class WalletTransactionPageDto {
  @ApiProperty({ type: [WalletTransactionDto] }) data: WalletTransactionDto[];
  @ApiProperty() has_more: boolean;
}

/** The signed-in customer's wallet, read from the ledger. */
@ApiTags('wallet')
@Auth('user')
@Controller('v1/wallet')
export class WalletController {
  constructor(
    private readonly db: Database,
    private readonly ledger: LedgerService,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'getWallet', summary: 'Balance and status of the wallet' })
  @ApiOkResponse({ type: CustomerWalletDto })
  async wallet(@CurrentPrincipal() me: UserPrincipal): Promise<CustomerWalletDto> {
    const balance = await this.ledger.walletBalance(this.db, me.sandbox.id, me.walletId);
    if (!balance) throw DomainError.notFound('wallet', me.walletId);
    const holds = await this.ledger.walletHolds(this.db, me.sandbox.id, me.walletId);
    return {
      id: me.walletId,
      balance: balance.balance,
      available: balance.available,
      status: holds.length > 0 ? 'on_hold' : 'active',
      holds,
    };
  }

  @Get('transactions')
  @ApiOperation({
    operationId: 'listWalletTransactions',
    summary: 'Money in and out of the wallet, newest first (amount is negative when money left)',
  })
  @ApiOkResponse({ type: WalletTransactionPageDto })
  async transactions(@CurrentPrincipal() me: UserPrincipal, @Query() query: PageQuery): Promise<Page<WalletTransactionDto>> {
    const rows = await this.db.rows<{
      transfer_id: string;
      amount: string;
      posted_at: Date;
      code: string;
      metadata: Record<string, unknown>;
    }>(
      `SELECT e.transfer_id, e.amount, e.posted_at, t.code, t.metadata
         FROM ledger_entries e JOIN ledger_transfers t ON t.sandbox_id = e.sandbox_id AND t.id = e.transfer_id
        WHERE e.sandbox_id = $1 AND e.account_id = $2 AND ($3::text IS NULL OR e.transfer_id < $3)
        ORDER BY e.transfer_id DESC LIMIT $4`,
      [me.sandbox.id, me.walletId, query.starting_after ?? null, query.limit + 1],
    );
    return {
      data: rows.slice(0, query.limit).map((r) => ({
        id: r.transfer_id,
        type: r.code,
        amount: toYen(r.amount),
        createdAt: r.posted_at.toISOString(),
        reference: r.metadata,
      })),
      has_more: rows.length > query.limit,
    };
  }
}
