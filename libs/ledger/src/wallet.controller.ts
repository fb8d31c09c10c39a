import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentPrincipal, Database, DomainError, type Page, PageQuery, type UserPrincipal } from '#core';
import { LedgerService } from './ledger.service.js';
import { toYen } from './ledger.types.js';

interface WalletTransaction {
  id: string;
  type: string;
  amount: number;
  createdAt: string;
  reference: Record<string, unknown>;
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
  async wallet(@CurrentPrincipal() me: UserPrincipal) {
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
  async transactions(@CurrentPrincipal() me: UserPrincipal, @Query() query: PageQuery): Promise<Page<WalletTransaction>> {
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
