import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentSandbox, Problems, type SandboxContext } from '#core';
import { AtmDepositBody, PointsDto, SeedPointsBody, TopupDto, TopupSettingsBody, TopupSettingsDto } from './dto/topup.dto.js';
import { type TopupSettings, TopupSettingsStore } from './settings.js';
import { type TopupView, topupView } from './topup-view.js';
import { DepositAtmCash } from './usecases/deposit-atm-cash.js';
import { ManagePoints, type PointsBalance } from './usecases/manage-points.js';
import { UpdateTopupSettings } from './usecases/update-topup-settings.js';

@ApiTags('sandbox tools')
@Auth('secret')
@Controller('v1')
export class TopupSandboxController {
  constructor(
    private readonly atm: DepositAtmCash,
    private readonly points: ManagePoints,
    private readonly settings: TopupSettingsStore,
    private readonly updateSettings: UpdateTopupSettings,
  ) {}

  @Post('sandbox/atm/deposits')
  @HttpCode(202)
  @ApiOperation({ operationId: 'createAtmDeposit', summary: 'The ATM simulator: deposit cash against a deposit code from an ATM top-up' })
  @ApiAcceptedResponse({ type: TopupDto })
  @Problems('service_suspended', 'code_invalid', 'code_used', 'code_expired')
  async atmDeposit(@CurrentSandbox() sandbox: SandboxContext, @Body() body: AtmDepositBody): Promise<TopupView> {
    return topupView(await this.atm.deposit(sandbox, body.depositCode));
  }

  @Post('sandbox/wallets/:walletId/points')
  @ApiOperation({ operationId: 'seedPoints', summary: 'Seed loyalty points on a wallet (1 pt = ¥1 when topped up)' })
  @ApiCreatedResponse({ type: PointsDto })
  @Problems('limit_exceeded')
  seedPoints(
    @CurrentSandbox() sandbox: SandboxContext,
    @Param('walletId') walletId: string,
    @Body() body: SeedPointsBody,
  ): Promise<PointsBalance> {
    return this.points.seed(sandbox, walletId, body.points);
  }

  @Get('topup-settings')
  @ApiOperation({ operationId: 'getTopupSettings', summary: "The sandbox's top-up limits and gateway behaviour" })
  @ApiOkResponse({ type: TopupSettingsDto })
  getSettings(@CurrentSandbox() sandbox: SandboxContext): Promise<TopupSettings> {
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
    return this.updateSettings.update(sandbox.id, body);
  }
}
