import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentPrincipal, NoBody, Problems, type UserPrincipal } from '#core';
import { RequireStepUp } from '#identity';
import { AddBankAccountBody, AddCardBody, BankAccountDto, BankAccountListDto, CardDto, CardListDto } from './dto/topup.dto.js';
import type { BankAccount, Card } from './funding-sources.repository.js';
import { ManageBankAccounts } from './usecases/manage-bank-accounts.js';
import { ManageCards } from './usecases/manage-cards.js';

@ApiTags('cards and bank accounts')
@Auth('user')
@Controller('v1')
export class FundingSourcesController {
  constructor(
    private readonly cards: ManageCards,
    private readonly bankAccounts: ManageBankAccounts,
  ) {}

  @Post('cards')
  @RequireStepUp()
  @ApiOperation({ operationId: 'addCard', summary: 'Add a card (second factor required); only brand, last4 and a network token are kept' })
  @ApiCreatedResponse({ type: CardDto })
  @Problems('rate_limited')
  addCard(@CurrentPrincipal() me: UserPrincipal, @Body() body: AddCardBody): Promise<Card> {
    return this.cards.add(me, body);
  }

  @Get('cards')
  @ApiOperation({ operationId: 'listCards', summary: "The customer's cards" })
  @ApiOkResponse({ type: CardListDto })
  async listCards(@CurrentPrincipal() me: UserPrincipal): Promise<{ data: Card[]; has_more: false }> {
    return { data: await this.cards.list(me), has_more: false };
  }

  @Delete('cards/:id')
  @NoBody()
  @HttpCode(204)
  @ApiOperation({ operationId: 'removeCard', summary: 'Remove a card' })
  @ApiNoContentResponse()
  async removeCard(@CurrentPrincipal() me: UserPrincipal, @Param('id') id: string): Promise<void> {
    await this.cards.remove(me, id);
  }

  @Post('bank-accounts')
  @RequireStepUp()
  @ApiOperation({ operationId: 'addBankAccount', summary: 'Register a bank account for bank-debit top-ups (second factor required)' })
  @ApiCreatedResponse({ type: BankAccountDto })
  @Problems('rate_limited')
  addBankAccount(@CurrentPrincipal() me: UserPrincipal, @Body() body: AddBankAccountBody): Promise<BankAccount> {
    return this.bankAccounts.add(me, body);
  }

  @Get('bank-accounts')
  @ApiOperation({ operationId: 'listBankAccounts', summary: "The customer's bank accounts for bank-debit top-ups" })
  @ApiOkResponse({ type: BankAccountListDto })
  async listBankAccounts(@CurrentPrincipal() me: UserPrincipal): Promise<{ data: BankAccount[]; has_more: false }> {
    return { data: await this.bankAccounts.list(me), has_more: false };
  }
}
