import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, type ClientFacts, CurrentPrincipal, Problems, type UserPrincipal } from '#core';
import { Client } from '#identity';
import { PayStoreCodeBody, PaymentDto } from './dto/capture.dto.js';
import { type PaymentView, paymentView } from './payment-view.js';
import { PayStoreCode } from './usecases/pay-store-code.js';

@ApiTags('wallet')
@Auth('user')
@Controller('v1/wallet')
export class WalletPaymentsController {
  constructor(private readonly payStoreCode: PayStoreCode) {}

  @Post('pay-store-code')
  @ApiOperation({ operationId: 'payStoreCode', summary: "Pay a store's QR from the wallet" })
  @ApiCreatedResponse({ type: PaymentDto })
  @Problems(
    'service_suspended',
    'limit_exceeded',
    'code_invalid',
    'code_used',
    'wallet_on_hold',
    'insufficient_balance',
    'step_up_required',
    'rate_limited',
  )
  async pay(@CurrentPrincipal() me: UserPrincipal, @Body() body: PayStoreCodeBody, @Client() client: ClientFacts): Promise<PaymentView> {
    return paymentView(await this.payStoreCode.execute(me, body, client));
  }
}
