import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import {
  Auth,
  CurrentPrincipal,
  CurrentSandbox,
  NoBody,
  OptionalBody,
  type Page,
  PageQuery,
  type Principal,
  Problems,
  type SandboxContext,
  type StorePrincipal,
  type UserPrincipal,
} from '#core';
import { qrPng, qrSvg } from '#barcode';
import { Database } from '#core';
import {
  AmountBody,
  CaptureBody,
  CreateStoreBody,
  CreatedStoreDto,
  CreateTerminalBody,
  PayStoreCodeBody,
  PaymentDto,
  PaymentListDto,
  PaymentsQuery,
  RefundDto,
  StoreCodeBody,
  StoreCodeDto,
  StoreDto,
  StoreKeyDto,
  StoreListDto,
  TerminalDto,
} from './dto/capture.dto.js';
import { type PaymentView, capturedView, paymentView } from './payment-view.js';
import { PaymentsRepository } from './payments.repository.js';
import { type Store, type StoreKey, type StoreTerminal, Stores } from './stores.js';
import { CapturePayment } from './usecases/capture-payment.js';
import { SettlePayment } from './usecases/settle-payment.js';
import { type StoreCode, StoreCodes } from './usecases/store-codes.js';

@ApiTags('stores')
@Auth('secret')
@Controller('v1/stores')
export class StoresController {
  constructor(
    private readonly stores: Stores,
    private readonly db: Database,
  ) {}

  @Post()
  @ApiOperation({ operationId: 'createStore', summary: 'Open a store: its ledger account and its register key (apiKey, shown once)' })
  @ApiCreatedResponse({ type: CreatedStoreDto })
  create(@CurrentSandbox() sandbox: SandboxContext, @Body() body: CreateStoreBody): Promise<Store & { apiKey: string }> {
    return this.stores.create(sandbox, body);
  }

  @Get()
  @ApiOperation({ operationId: 'listStores', summary: "The sandbox's stores, newest first" })
  @ApiOkResponse({ type: StoreListDto })
  list(@CurrentSandbox() sandbox: SandboxContext, @Query() query: PageQuery): Promise<Page<Store>> {
    return this.stores.list(sandbox.id, query);
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getStore', summary: 'One store' })
  @ApiOkResponse({ type: StoreDto })
  get(@CurrentSandbox() sandbox: SandboxContext, @Param('id') id: string): Promise<Store> {
    return this.stores.get(this.db, sandbox.id, id);
  }

  @Post(':id/terminals')
  @ApiOperation({ operationId: 'createTerminal', summary: 'Add a terminal (register) to a store' })
  @ApiCreatedResponse({ type: TerminalDto })
  addTerminal(
    @CurrentSandbox() sandbox: SandboxContext,
    @Param('id') id: string,
    @Body() body: CreateTerminalBody,
  ): Promise<StoreTerminal> {
    return this.stores.addTerminal(sandbox, id, body.name);
  }

  @Post(':id/keys')
  @NoBody()
  @ApiOperation({
    operationId: 'createStoreKey',
    summary: 'Another register key (apiKey, shown once) for a store, e.g. for a new register',
  })
  @ApiCreatedResponse({ type: StoreKeyDto })
  issueKey(@CurrentSandbox() sandbox: SandboxContext, @Param('id') id: string): Promise<StoreKey & { apiKey: string }> {
    return this.stores.issueKey(sandbox, id);
  }
}

@ApiTags('payments')
@Controller('v1/payments')
export class PaymentsController {
  constructor(
    private readonly capturePayment: CapturePayment,
    private readonly settle: SettlePayment,
    private readonly payments: PaymentsRepository,
    private readonly db: Database,
  ) {}

  @Post()
  @Auth('store')
  @ApiOperation({
    operationId: 'createPayment',
    summary: "Take a payment with the customer's one-time code: captured at once, or authorized with capture: false",
  })
  @ApiCreatedResponse({ type: PaymentDto })
  @Problems(
    'rate_limited',
    'not_found',
    'service_suspended',
    'limit_exceeded',
    'code_invalid',
    'code_used',
    'code_expired',
    'wallet_on_hold',
    'insufficient_balance',
  )
  async create(@CurrentPrincipal() store: StorePrincipal, @Body() body: CaptureBody): Promise<PaymentView> {
    const result = await this.capturePayment.execute(store, {
      code: body.code,
      amount: body.amount,
      capture: body.capture ?? true,
      allowPartial: body.allowPartial ?? false,
      terminalId: body.terminalId,
      orderRef: body.orderRef,
      category: body.category,
    });
    return capturedView(result, body.category ?? null);
  }

  @Get()
  @Auth('store', 'secret')
  @ApiOperation({
    operationId: 'listPayments',
    summary: "Payments newest first: a store key lists its store's own, the secret key the sandbox's",
  })
  @ApiOkResponse({ type: PaymentListDto })
  async list(
    @CurrentPrincipal() principal: Principal,
    @CurrentSandbox() sandbox: SandboxContext,
    @Query() query: PaymentsQuery,
  ): Promise<Page<PaymentView>> {
    const page = await this.payments.list(this.db, sandbox.id, {
      storeId: principal.kind === 'store' ? principal.storeId : null,
      terminalId: query.terminalId,
      limit: query.limit,
      startingAfter: query.starting_after,
    });
    return { data: page.data.map(paymentView), has_more: page.has_more };
  }

  @Get(':id')
  @Auth('store', 'secret')
  @ApiOperation({ operationId: 'getPayment', summary: 'One payment (a store sees only its own)' })
  @ApiOkResponse({ type: PaymentDto })
  async get(
    @CurrentPrincipal() principal: Principal,
    @CurrentSandbox() sandbox: SandboxContext,
    @Param('id') id: string,
  ): Promise<PaymentView> {
    const storeId = principal.kind === 'store' ? principal.storeId : null;
    return paymentView(await this.payments.find(this.db, sandbox.id, id, storeId));
  }

  @Post(':id/capture')
  @HttpCode(200)
  @Auth('store')
  @ApiOperation({
    operationId: 'capturePayment',
    summary: 'Capture an authorized payment, up to the authorised amount (the rest is released)',
  })
  @ApiBody({ type: AmountBody, required: false })
  @ApiOkResponse({ type: PaymentDto })
  @Problems('service_suspended', 'invalid_payment_state', 'authorization_expired', 'amount_exceeds_pending', 'wallet_on_hold')
  async capture(
    @CurrentPrincipal() store: StorePrincipal,
    @Param('id') id: string,
    @OptionalBody(AmountBody) body: AmountBody,
  ): Promise<PaymentView> {
    return paymentView(await this.settle.capture(store, id, body.amount));
  }

  @Post(':id/void')
  @NoBody()
  @HttpCode(200)
  @Auth('store')
  @ApiOperation({ operationId: 'voidPayment', summary: 'Void an authorized payment, releasing the hold' })
  @ApiOkResponse({ type: PaymentDto })
  @Problems('invalid_payment_state', 'authorization_expired')
  async void(@CurrentPrincipal() store: StorePrincipal, @Param('id') id: string): Promise<PaymentView> {
    return paymentView(await this.settle.void(store, id));
  }

  @Post(':id/refunds')
  @Auth('store')
  @ApiOperation({
    operationId: 'refundPayment',
    summary: 'Refund all or part of a captured payment to the wallet; several refunds may follow, never beyond the captured amount',
  })
  @ApiBody({ type: AmountBody, required: false })
  @ApiCreatedResponse({ type: RefundDto })
  @Problems('invalid_payment_state', 'amount_exceeds_refundable')
  refund(
    @CurrentPrincipal() store: StorePrincipal,
    @Param('id') id: string,
    @OptionalBody(AmountBody) body: AmountBody,
  ): Promise<RefundDto> {
    return this.settle.refund(store, id, body.amount);
  }
}

@ApiTags('store codes')
@Auth('store')
@Controller('v1/store-codes')
export class StoreCodesController {
  constructor(private readonly codes: StoreCodes) {}

  @Post()
  @ApiOperation({ operationId: 'createStoreCode', summary: 'A store-presented QR (EMVCo MPM): static, or single-use with an amount' })
  @ApiBody({ type: StoreCodeBody, required: false })
  @ApiCreatedResponse({ type: StoreCodeDto })
  @Problems('limit_exceeded', 'not_found')
  issue(@CurrentPrincipal() store: StorePrincipal, @OptionalBody(StoreCodeBody) body: StoreCodeBody): Promise<StoreCode> {
    return this.codes.issue(store, body);
  }

  @Get(':id/qr.svg')
  @Header('Content-Type', 'image/svg+xml')
  @ApiProduces('image/svg+xml')
  @ApiOperation({ operationId: 'getStoreCodeQrSvg', summary: 'The store code as a QR (SVG)' })
  @ApiOkResponse({ content: { 'image/svg+xml': { schema: { type: 'string' } } } })
  async svg(@CurrentPrincipal() store: StorePrincipal, @Param('id') id: string): Promise<string> {
    return qrSvg(await this.codes.payload(store, id));
  }

  @Get(':id/qr.png')
  @Header('Content-Type', 'image/png')
  @ApiProduces('image/png')
  @ApiOperation({ operationId: 'getStoreCodeQrPng', summary: 'The store code as a QR (PNG)' })
  @ApiOkResponse({ content: { 'image/png': { schema: { type: 'string', format: 'binary' } } } })
  async png(@CurrentPrincipal() store: StorePrincipal, @Param('id') id: string): Promise<Buffer> {
    return qrPng(await this.codes.payload(store, id));
  }
}

@ApiTags('wallet')
@Auth('user')
@Controller('v1/wallet')
export class WalletPaymentsController {
  constructor(private readonly codes: StoreCodes) {}

  @Post('pay-store-code')
  @ApiOperation({ operationId: 'payStoreCode', summary: "Pay a store's QR from the wallet" })
  @ApiCreatedResponse({ type: PaymentDto })
  @Problems('service_suspended', 'limit_exceeded', 'code_invalid', 'code_used', 'wallet_on_hold', 'insufficient_balance')
  async pay(@CurrentPrincipal() me: UserPrincipal, @Body() body: PayStoreCodeBody): Promise<PaymentView> {
    return paymentView(await this.codes.pay(me, body));
  }
}
