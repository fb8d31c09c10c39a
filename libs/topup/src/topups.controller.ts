import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Auth,
  type ClientFacts,
  CurrentPrincipal,
  CurrentSandbox,
  type Principal,
  Problems,
  type SandboxContext,
  type StorePrincipal,
  type UserPrincipal,
} from '#core';
import { Client } from '#identity';
import { PointsDto, RegisterTopupBody, ThreeDSecureBody, TopupBody, TopupDto } from './dto/topup.dto.js';
import { type TopupView, topupView } from './topup-view.js';
import { GetTopup } from './usecases/get-topup.js';
import { ManagePoints, type PointsBalance } from './usecases/manage-points.js';
import { RequestTopup } from './usecases/request-topup.js';
import { VerifyThreeDSecure } from './usecases/verify-three-d-secure.js';

@ApiTags('top-ups')
@Controller('v1')
export class TopupsController {
  constructor(
    private readonly request: RequestTopup,
    private readonly topups: GetTopup,
    private readonly threeDSecure: VerifyThreeDSecure,
    private readonly points: ManagePoints,
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
    return topupView(await this.topups.get(principal, sandbox, id));
  }

  @Post('topups/:id/three-d-secure')
  @HttpCode(200)
  @Auth('user')
  @ApiOperation({ operationId: 'completeThreeDSecure', summary: "Answer the card issuer's 3-D Secure challenge (code by SMS); 3 tries" })
  @ApiOkResponse({ type: TopupDto })
  @Problems('code_expired')
  async completeThreeDSecure(
    @CurrentPrincipal() me: UserPrincipal,
    @Param('id') id: string,
    @Body() body: ThreeDSecureBody,
  ): Promise<TopupView> {
    return topupView(await this.threeDSecure.verify(me, id, body.code));
  }

  @Get('wallet/points')
  @Auth('user')
  @ApiOperation({ operationId: 'getPoints', summary: "The wallet's loyalty points, which a points top-up spends 1:1" })
  @ApiOkResponse({ type: PointsDto })
  walletPoints(@CurrentPrincipal() me: UserPrincipal): Promise<PointsBalance> {
    return this.points.balance(me.sandbox.id, me.walletId);
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
