import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentPrincipal, type Page, PageQuery, type UserPrincipal } from '#core';
import { CustomerWalletDto, WalletTransactionPageDto } from './dto/ledger.dto.js';
import { type CustomerWallet, GetWallet } from './usecases/get-wallet.js';
import { ListWalletTransactions, type WalletTransaction } from './usecases/list-wallet-transactions.js';

/** The signed-in customer's wallet, read from the ledger. */
@ApiTags('wallet')
@Auth('user')
@Controller('v1/wallet')
export class WalletController {
  constructor(
    private readonly getWallet: GetWallet,
    private readonly listTransactions: ListWalletTransactions,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'getWallet', summary: 'Balance and status of the wallet' })
  @ApiOkResponse({ type: CustomerWalletDto })
  get(@CurrentPrincipal() me: UserPrincipal): Promise<CustomerWallet> {
    return this.getWallet.execute(me);
  }

  @Get('transactions')
  @ApiOperation({
    operationId: 'listWalletTransactions',
    summary: 'Money in and out of the wallet, newest first (amount is negative when money left)',
  })
  @ApiOkResponse({ type: WalletTransactionPageDto })
  transactions(@CurrentPrincipal() me: UserPrincipal, @Query() query: PageQuery): Promise<Page<WalletTransaction>> {
    return this.listTransactions.execute(me, { limit: query.limit, startingAfter: query.starting_after });
  }
}
