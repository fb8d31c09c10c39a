import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Auth,
  CurrentPrincipal,
  CurrentSandbox,
  NoBody,
  OptionalBody,
  type Page,
  type Principal,
  Problems,
  type SandboxContext,
  type StorePrincipal,
} from '#core';
import { AmountBody, CaptureBody, PaymentDto, PaymentListDto, PaymentsQuery, RefundDto } from './dto/capture.dto.js';
import { type PaymentView, capturedView, paymentView } from './payment-view.js';
import { CapturePayment } from './usecases/capture-payment.js';
import { GetPayment } from './usecases/get-payment.js';
import { ListPayments } from './usecases/list-payments.js';
import { SettlePayment } from './usecases/settle-payment.js';

@ApiTags('payments')
@Controller('v1/payments')
export class PaymentsController {
  constructor(
    private readonly capturePayment: CapturePayment,
    private readonly settle: SettlePayment,
    private readonly listPayments: ListPayments,
    private readonly getPayment: GetPayment,
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
    const page = await this.listPayments.execute(sandbox.id, {
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
    return paymentView(await this.getPayment.execute(sandbox.id, id, storeId));
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
