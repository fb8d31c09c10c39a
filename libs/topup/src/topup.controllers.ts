import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Auth,
  type ClientFacts,
  CurrentPrincipal,
  CurrentSandbox,
  Database,
  NoBody,
  type Principal,
  Problems,
  type SandboxContext,
  type StorePrincipal,
  type UserPrincipal,
} from '#core';
import { Client, RequireStepUp } from '#identity';
import {
  AddBankAccountBody,
  AddCardBody,
  AtmDepositBody,
  BankAccountDto,
  BankAccountListDto,
  CardDto,
  CardListDto,
  PointsDto,
  RegisterTopupBody,
  SeedPointsBody,
  ThreeDSecureBody,
  TestFundingSourceListDto,
  TopupBody,
  TopupDto,
  TopupSettingsBody,
  TopupSettingsDto,
} from './dto/topup.dto.js';
import { type TestFundingSource, testBankAccounts, testCards } from './card-network.js';
import { type TopupSettings, TopupSettingsStore } from './settings.js';
import { type TopupView, topupView } from './topup-view.js';
import { TopupsRepository } from './topups.repository.js';
import { type BankAccount, type Card, FundingSources } from './usecases/funding-sources.js';
import { RequestTopup } from './usecases/request-topup.js';
import { SettleTopup } from './usecases/settle-topup.js';

@ApiTags('cards and bank accounts')
@Auth('user')
@Controller('v1')
export class FundingSourcesController {
  constructor(private readonly sources: FundingSources) {}

  @Post('cards')
  @RequireStepUp()
  @ApiOperation({ operationId: 'addCard', summary: 'Add a card (second factor required); only brand, last4 and a network token are kept' })
  @ApiCreatedResponse({ type: CardDto })
  @Problems('rate_limited')
  addCard(@CurrentPrincipal() me: UserPrincipal, @Body() body: AddCardBody): Promise<Card> {
    return this.sources.addCard(me, body);
  }

  @Get('cards')
  @ApiOperation({ operationId: 'listCards', summary: "The customer's cards" })
  @ApiOkResponse({ type: CardListDto })
  async cards(@CurrentPrincipal() me: UserPrincipal): Promise<{ data: Card[]; has_more: false }> {
    return { data: await this.sources.listCards(me), has_more: false };
  }

  @Delete('cards/:id')
  @NoBody()
  @HttpCode(204)
  @ApiOperation({ operationId: 'removeCard', summary: 'Remove a card' })
  @ApiNoContentResponse()
  async removeCard(@CurrentPrincipal() me: UserPrincipal, @Param('id') id: string): Promise<void> {
    await this.sources.removeCard(me, id);
  }

  @Post('bank-accounts')
  @RequireStepUp()
  @ApiOperation({ operationId: 'addBankAccount', summary: 'Register a bank account for bank-debit top-ups (second factor required)' })
  @ApiCreatedResponse({ type: BankAccountDto })
  @Problems('rate_limited')
  addBankAccount(@CurrentPrincipal() me: UserPrincipal, @Body() body: AddBankAccountBody): Promise<BankAccount> {
    return this.sources.addBankAccount(me, body);
  }

  @Get('bank-accounts')
  @ApiOperation({ operationId: 'listBankAccounts', summary: "The customer's bank accounts for bank-debit top-ups" })
  @ApiOkResponse({ type: BankAccountListDto })
  async bankAccounts(@CurrentPrincipal() me: UserPrincipal): Promise<{ data: BankAccount[]; has_more: false }> {
    return { data: await this.sources.listBankAccounts(me), has_more: false };
  }
}

/** The simulated card network's and bank's test numbers, for an app (or a test) to pick from. */
@ApiTags('cards and bank accounts')
@Auth('publishable', 'user', 'secret')
@Controller('v1')
export class TestFundingSourcesController {
  @Get('test-cards')
  @ApiOperation({
    operationId: 'listTestCards',
    summary: 'Test card numbers and what a top-up from each does (any other Luhn-valid number succeeds)',
  })
  @ApiOkResponse({ type: TestFundingSourceListDto })
  cards(): { data: TestFundingSource[]; has_more: false } {
    return { data: testCards(), has_more: false };
  }

  @Get('test-bank-accounts')
  @ApiOperation({
    operationId: 'listTestBankAccounts',
    summary: 'Test bank account numbers and what a bank-debit top-up from each does (any other number succeeds)',
  })
  @ApiOkResponse({ type: TestFundingSourceListDto })
  bankAccounts(): { data: TestFundingSource[]; has_more: false } {
    return { data: testBankAccounts(), has_more: false };
  }
}

@ApiTags('top-ups')
@Controller('v1')
export class TopupsController {
  constructor(
    private readonly request: RequestTopup,
    private readonly settle: SettleTopup,
    private readonly topups: TopupsRepository,
    private readonly db: Database,
  ) {}

  @Post('topups')
  @HttpCode(202)
  @Auth('user')
  @ApiOperation({
    operationId: 'createTopup',
    summary: 'Top up the wallet; the worker screens, funds and settles it (card and bank debit need a recent second factor)',
  })
  @ApiAcceptedResponse({ type: TopupDto })
  @Problems(
    'service_suspended',
    'wallet_on_hold',
    'limit_exceeded',
    'not_found',
    'step_up_required',
    'rate_limited',
    'insufficient_balance',
  )
  async create(@CurrentPrincipal() me: UserPrincipal, @Body() body: TopupBody, @Client() client: ClientFacts): Promise<TopupView> {
    return topupView(await this.request.request(me, body, client));
  }

  @Get('topups/:id')
  @Auth('user', 'store', 'secret')
  @ApiOperation({ operationId: 'getTopup', summary: 'One top-up: its customer, the store that took the cash, or the operator' })
  @ApiOkResponse({ type: TopupDto })
  async get(
    @CurrentPrincipal() principal: Principal,
    @CurrentSandbox() sandbox: SandboxContext,
    @Param('id') id: string,
  ): Promise<TopupView> {
    const viewer =
      principal.kind === 'user' ? { walletId: principal.walletId } : principal.kind === 'store' ? { storeId: principal.storeId } : {};
    return topupView(await this.topups.get(this.db, sandbox.id, id, viewer));
  }

  @Post('topups/:id/three-d-secure')
  @HttpCode(200)
  @Auth('user')
  @ApiOperation({ operationId: 'completeThreeDSecure', summary: "Answer the card issuer's 3-D Secure challenge (code by SMS); 3 tries" })
  @ApiOkResponse({ type: TopupDto })
  @Problems('code_expired')
  async threeDSecure(@CurrentPrincipal() me: UserPrincipal, @Param('id') id: string, @Body() body: ThreeDSecureBody): Promise<TopupView> {
    return topupView(await this.settle.verifyThreeDSecure(me, id, body.code));
  }

  @Get('wallet/points')
  @Auth('user')
  @ApiOperation({ operationId: 'getPoints', summary: "The wallet's loyalty points, which a points top-up spends 1:1" })
  @ApiOkResponse({ type: PointsDto })
  points(@CurrentPrincipal() me: UserPrincipal): Promise<{ walletId: string; points: number }> {
    return this.request.points(me.sandbox.id, me.walletId);
  }

  @Post('register-topups')
  @HttpCode(202)
  @Auth('store')
  @ApiOperation({
    operationId: 'createRegisterTopup',
    summary: "The register tops up a customer's wallet: scan their payment code, take the cash",
  })
  @ApiAcceptedResponse({ type: TopupDto })
  @Problems('service_suspended', 'limit_exceeded', 'code_invalid', 'code_used', 'code_expired', 'wallet_on_hold')
  async registerCash(@CurrentPrincipal() store: StorePrincipal, @Body() body: RegisterTopupBody): Promise<TopupView> {
    return topupView(await this.request.registerCash(store, body));
  }
}

@ApiTags('sandbox tools')
@Auth('secret')
@Controller('v1')
export class TopupSandboxController {
  constructor(
    private readonly request: RequestTopup,
    private readonly settings: TopupSettingsStore,
  ) {}

  @Post('sandbox/atm/deposits')
  @HttpCode(202)
  @ApiOperation({ operationId: 'createAtmDeposit', summary: 'The ATM simulator: deposit cash against a deposit code from an ATM top-up' })
  @ApiAcceptedResponse({ type: TopupDto })
  @Problems('service_suspended', 'code_invalid', 'code_used', 'code_expired')
  async atm(@CurrentSandbox() sandbox: SandboxContext, @Body() body: AtmDepositBody): Promise<TopupView> {
    return topupView(await this.request.atmDeposit(sandbox, body.depositCode));
  }

  @Post('sandbox/wallets/:walletId/points')
  @ApiOperation({ operationId: 'seedPoints', summary: 'Seed loyalty points on a wallet (1 pt = ¥1 when topped up)' })
  @ApiCreatedResponse({ type: PointsDto })
  @Problems('limit_exceeded')
  points(
    @CurrentSandbox() sandbox: SandboxContext,
    @Param('walletId') walletId: string,
    @Body() body: SeedPointsBody,
  ): Promise<{ walletId: string; points: number }> {
    return this.request.seedPoints(sandbox, walletId, body.points);
  }

  @Get('topup-settings')
  @ApiOperation({ operationId: 'getTopupSettings', summary: "The sandbox's top-up limits and gateway behaviour" })
  @ApiOkResponse({ type: TopupSettingsDto })
  get(@CurrentSandbox() sandbox: SandboxContext): Promise<TopupSettings> {
    return this.settings.get(sandbox.id);
  }

  @Post('topup-settings')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'updateTopupSettings',
    summary: 'Change limits (per channel max and unit, daily cap, maximum balance) and inject gateway latency or failures',
  })
  @ApiOkResponse({ type: TopupSettingsDto })
  update(@CurrentSandbox() sandbox: SandboxContext, @Body() body: TopupSettingsBody): Promise<TopupSettings> {
    return this.settings.update(sandbox.id, body);
  }
}
