import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentSandbox, NoBody, OptionalBody, type Page, PageQuery, Problems, RollKeyBody, type SandboxContext } from '#core';
import {
  AdvanceClockBody,
  ClockDto,
  FundWalletBody,
  FundedDto,
  MessageListDto,
  MessagesQuery,
  PublishableKeyDto,
  RolledSandboxKeyDto,
  SandboxDto,
  SandboxKeyDto,
  SandboxKeyListDto,
  SandboxResetDto,
  WalletDto,
} from './dto/sandbox.dto.js';
import type { Message } from './messages.js';
import type { SandboxKey } from './sandbox.repository.js';
import { type SandboxView, clockOf } from './sandbox-view.js';
import { AdvanceClock } from './usecases/advance-clock.js';
import { CreateTestWallet } from './usecases/create-test-wallet.js';
import { FundTestWallet } from './usecases/fund-test-wallet.js';
import { GetSandbox } from './usecases/get-sandbox.js';
import { GetTestWallet, type WalletView } from './usecases/get-test-wallet.js';
import { IssueSandboxKey } from './usecases/issue-sandbox-key.js';
import { ListMessages } from './usecases/list-messages.js';
import { ListSandboxKeys } from './usecases/list-sandbox-keys.js';
import { RevokeSandboxKey } from './usecases/revoke-sandbox-key.js';
import { type RolledSandboxKey, RollSandboxKey } from './usecases/roll-sandbox-key.js';
import { ResetSandbox } from './usecases/reset-sandbox.js';

@ApiTags('sandbox tools')
@Auth('secret')
@Controller('v1/sandbox')
export class SandboxToolsController {
  constructor(
    private readonly getSandbox: GetSandbox,
    private readonly issueSandboxKey: IssueSandboxKey,
    private readonly advanceClock: AdvanceClock,
    private readonly resetSandbox: ResetSandbox,
    private readonly messageList: ListMessages,
    private readonly createTestWallet: CreateTestWallet,
    private readonly getTestWallet: GetTestWallet,
    private readonly fundTestWallet: FundTestWallet,
    private readonly listSandboxKeys: ListSandboxKeys,
    private readonly rollSandboxKey: RollSandboxKey,
    private readonly revokeSandboxKey: RevokeSandboxKey,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'getSandbox', summary: "The sandbox's name, security profile and clock" })
  @ApiOkResponse({ type: SandboxDto })
  get(@CurrentSandbox() sandbox: SandboxContext): Promise<SandboxView> {
    return this.getSandbox.execute(sandbox);
  }

  @Post('publishable-keys')
  @NoBody()
  @ApiOperation({
    operationId: 'createPublishableKey',
    summary: 'Issue another publishable key (for an app, or a browser session of the console)',
  })
  @ApiCreatedResponse({ type: PublishableKeyDto })
  async issuePublishableKey(@CurrentSandbox() sandbox: SandboxContext): Promise<PublishableKeyDto> {
    const issued = await this.issueSandboxKey.execute(sandbox.id, 'publishable');
    return { id: issued.id, publishableKey: issued.key, createdAt: issued.createdAt };
  }

  @Get('keys')
  @ApiOperation({ operationId: 'listSandboxKeys', summary: "The sandbox's secret and publishable keys that still work, newest first" })
  @ApiOkResponse({ type: SandboxKeyListDto })
  listKeys(@CurrentSandbox() sandbox: SandboxContext, @Query() query: PageQuery): Promise<Page<SandboxKey>> {
    return this.listSandboxKeys.execute(sandbox.id, { limit: query.limit, startingAfter: query.starting_after });
  }

  @Post('keys/:id/roll')
  @ApiOperation({
    operationId: 'rollSandboxKey',
    summary: 'Replace a key with a new one of its kind (shown once); the old one stops at once or after expiresInSeconds',
  })
  @ApiBody({ type: RollKeyBody, required: false })
  @ApiCreatedResponse({ type: RolledSandboxKeyDto })
  @Problems('key_rolled')
  rollKey(
    @CurrentSandbox() sandbox: SandboxContext,
    @Param('id') id: string,
    @OptionalBody(RollKeyBody) body: RollKeyBody,
  ): Promise<RolledSandboxKey> {
    return this.rollSandboxKey.execute(sandbox.id, id, body.expiresInSeconds ?? 0);
  }

  @Post('keys/:id/revoke')
  @NoBody()
  @HttpCode(200)
  @ApiOperation({ operationId: 'revokeSandboxKey', summary: 'Stop a key now; the last secret key that does not expire cannot be' })
  @ApiOkResponse({ type: SandboxKeyDto })
  @Problems('last_secret_key')
  revokeKey(@CurrentSandbox() sandbox: SandboxContext, @Param('id') id: string): Promise<SandboxKey> {
    return this.revokeSandboxKey.execute(sandbox.id, id);
  }

  @Get('clock')
  @ApiOperation({ operationId: 'getSandboxClock', summary: "The sandbox's current time" })
  @ApiOkResponse({ type: ClockDto })
  clock(@CurrentSandbox() sandbox: SandboxContext): ClockDto {
    return clockOf(sandbox.time);
  }

  @Post('clock/advance')
  @HttpCode(200)
  @ApiOperation({ operationId: 'advanceSandboxClock', summary: 'Move the sandbox clock forward (never back)' })
  @ApiOkResponse({ type: ClockDto })
  advance(@CurrentSandbox() sandbox: SandboxContext, @Body() body: AdvanceClockBody): Promise<{ now: string; offsetSeconds: number }> {
    return this.advanceClock.execute(sandbox.id, body.seconds);
  }

  @Get('messages')
  @ApiOperation({ operationId: 'listSandboxMessages', summary: 'E-mails and SMS the sandbox sent, newest first' })
  @ApiOkResponse({ type: MessageListDto })
  async listMessages(@CurrentSandbox() sandbox: SandboxContext, @Query() query: MessagesQuery): Promise<Page<Message>> {
    const page = await this.messageList.execute(sandbox.id, { to: query.to, limit: query.limit, startingAfter: query.starting_after });
    return { data: page.data, has_more: page.hasMore };
  }

  @Post('reset')
  @NoBody()
  @HttpCode(200)
  @ApiOperation({ operationId: 'resetSandbox', summary: "Wipe the sandbox's data; keys, clock and profile stay" })
  @ApiOkResponse({ type: SandboxResetDto })
  reset(@CurrentSandbox() sandbox: SandboxContext): Promise<SandboxResetDto> {
    return this.resetSandbox.execute(sandbox);
  }

  @Post('wallets')
  @NoBody()
  @ApiOperation({ operationId: 'createTestWallet', summary: 'Create a bare test wallet (no user), for ledger and load tests' })
  @ApiCreatedResponse({ type: WalletDto })
  createWallet(@CurrentSandbox() sandbox: SandboxContext): Promise<WalletView> {
    return this.createTestWallet.execute(sandbox);
  }

  @Get('wallets/:walletId')
  @ApiOperation({ operationId: 'getTestWallet', summary: "A wallet's balance and available balance" })
  @ApiOkResponse({ type: WalletDto })
  getWallet(@CurrentSandbox() sandbox: SandboxContext, @Param('walletId') walletId: string): Promise<WalletView> {
    return this.getTestWallet.execute(sandbox, walletId);
  }

  @Post('wallets/:walletId/fund')
  @ApiOperation({ operationId: 'fundTestWallet', summary: "Credit a wallet from the sandbox's funding account" })
  @ApiCreatedResponse({ type: FundedDto })
  fund(@CurrentSandbox() sandbox: SandboxContext, @Param('walletId') walletId: string, @Body() body: FundWalletBody): Promise<FundedDto> {
    return this.fundTestWallet.execute(sandbox, walletId, body.amount);
  }
}
