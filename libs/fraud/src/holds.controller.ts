import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  actorOf,
  Auth,
  CurrentPrincipal,
  CurrentSandbox,
  DomainError,
  OptionalBody,
  type Page,
  type Principal,
  Problems,
  type SandboxContext,
} from '#core';
import {
  CaseFileDto,
  ConfirmBody,
  ConfirmedHoldDto,
  HoldDto,
  HoldPageDto,
  HoldsQuery,
  PlaceHoldBody,
  ReviewBody,
} from './dto/fraud.dto.js';
import type { Hold } from './holds.js';
import { ConfirmFraud } from './usecases/confirm-fraud.js';
import { PlaceHold } from './usecases/place-hold.js';
import { type CaseFile, ReadCaseFile } from './usecases/read-case-file.js';
import { ReadHolds } from './usecases/read-holds.js';
import { ReleaseHold } from './usecases/release-hold.js';

/** Where a case begins, as the operator says: never in the sandbox's future. */
function sinceOf(since: string | undefined, sandbox: SandboxContext): Date | undefined {
  const at = since ? new Date(since) : undefined;
  if (at && at > sandbox.time.now()) throw DomainError.invalid([{ field: 'since', message: 'must not be in the future' }]);
  return at;
}

@ApiTags('fraud review')
@Auth('secret')
@Controller('v1')
export class HoldsController {
  constructor(
    private readonly holds: ReadHolds,
    private readonly placeHold: PlaceHold,
    private readonly caseFiles: ReadCaseFile,
    private readonly releaseHold: ReleaseHold,
    private readonly confirmFraud: ConfirmFraud,
  ) {}

  @Get('holds')
  @ApiOperation({ operationId: 'listHolds', summary: 'Holds, newest first, with the rules that placed them and their audit trail' })
  @ApiOkResponse({ type: HoldPageDto })
  async list(@CurrentSandbox() sandbox: SandboxContext, @Query() query: HoldsQuery): Promise<Page<Hold>> {
    const page = await this.holds.list(sandbox.id, { status: query.status, limit: query.limit, startingAfter: query.starting_after });
    return { data: page.data, has_more: page.hasMore };
  }

  @Post('holds')
  @ApiOperation({
    operationId: 'placeHold',
    summary: 'Hold a wallet the rules did not, e.g. on a reported takeover; reviewed like any hold',
  })
  @ApiCreatedResponse({ type: HoldDto })
  @Problems('not_found', 'hold_exists')
  place(@CurrentSandbox() sandbox: SandboxContext, @CurrentPrincipal() principal: Principal, @Body() body: PlaceHoldBody): Promise<Hold> {
    const since = sinceOf(body.since, sandbox);
    return this.placeHold.byOperator(sandbox, { walletId: body.walletId, reason: body.reason, since }, actorOf(principal));
  }

  @Get('holds/:id')
  @ApiOperation({ operationId: 'getHold', summary: 'One hold' })
  @ApiOkResponse({ type: HoldDto })
  get(@CurrentSandbox() sandbox: SandboxContext, @Param('id') id: string): Promise<Hold> {
    return this.holds.get(sandbox.id, id);
  }

  @Get('holds/:id/case-file')
  @ApiOperation({
    operationId: 'getHoldCaseFile',
    summary:
      "What a reviewer reads: the held wallet's sign-ins (with their IP, country, device and score), devices, IP addresses, top-ups and payments",
    description:
      'From a week before the case began (`windowStart`) to now, newest first, at most 100 of each. A top-up is `settled` once it succeeded and `held` when the hold keeps it.',
  })
  @ApiOkResponse({ type: CaseFileDto })
  caseFile(@CurrentSandbox() sandbox: SandboxContext, @Param('id') id: string): Promise<CaseFile> {
    return this.caseFiles.of(sandbox.id, id, sandbox.time.now());
  }

  @Post('holds/:id/release')
  @HttpCode(200)
  @ApiOperation({ operationId: 'releaseHold', summary: 'Release a hold: the wallet pays again and its held top-ups settle' })
  @ApiBody({ type: ReviewBody, required: false })
  @ApiOkResponse({ type: HoldDto })
  @Problems('invalid_transition')
  release(
    @CurrentSandbox() sandbox: SandboxContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @OptionalBody(ReviewBody) body: ReviewBody,
  ): Promise<Hold> {
    return this.releaseHold.release(sandbox, id, actorOf(principal), body.reason ?? 'released after review');
  }

  @Post('holds/:id/confirm-fraud')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'confirmFraud',
    summary: 'Confirm fraud: the victim is recorded, held top-ups are cancelled and compensation starts',
  })
  @ApiBody({ type: ConfirmBody, required: false })
  @ApiOkResponse({ type: ConfirmedHoldDto })
  @Problems('invalid_transition')
  confirm(
    @CurrentSandbox() sandbox: SandboxContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @OptionalBody(ConfirmBody) body: ConfirmBody,
  ): Promise<Hold & { victimId: string }> {
    const since = sinceOf(body.since, sandbox);
    return this.confirmFraud.confirm(sandbox, id, actorOf(principal), body.reason ?? 'fraud confirmed after review', since);
  }
}
