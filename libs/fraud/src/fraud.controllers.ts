import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type, plainToInstance } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
  validateSync,
} from 'class-validator';
import {
  actorOf,
  Auth,
  CurrentPrincipal,
  CurrentSandbox,
  DomainError,
  type FieldError,
  OptionalBody,
  type Page,
  PageQuery,
  type Principal,
  Problems,
  type SandboxContext,
} from '#core';
import { type Alert, type AlertSubject, Alerts } from './alerts.js';
import { type CaseFile, CaseFiles } from './case-file.js';
import { type DamageReport, DamageReports } from './damage-report.js';
import { AlertPageDto, CaseFileDto, ConfirmedHoldDto, DamageReportDto, FraudSettingsDto, HoldDto, HoldPageDto } from './dto/fraud.dto.js';
import { type Hold, type HoldStatus, Holds } from './holds.js';
import { type FraudSettings, RULE_ACTIONS, RULE_IDS, type RuleAction, type RuleId, isCidr } from './rules.js';
import { FraudSettingsStore } from './settings.js';

class HoldsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['open', 'released', 'confirmed', 'expired'] })
  @IsOptional()
  @IsIn(['open', 'released', 'confirmed', 'expired'])
  status?: HoldStatus;
}

class AlertsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['store', 'ip'] })
  @IsOptional()
  @IsIn(['store', 'ip'])
  subjectType?: AlertSubject;
}

class ReviewBody {
  @ApiPropertyOptional({
    description: 'Why (kept in the audit trail)',
    maxLength: 500,
    example: 'reviewed with the customer by phone',
  })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;
}

class ConfirmBody extends ReviewBody {
  @ApiPropertyOptional({
    description: 'Where the fraudulent activity began (defaults to the riskiest sign-in before the hold)',
    example: '2019-07-02T10:00:00.000Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;
}

class PlaceHoldBody {
  @ApiProperty({ description: 'The wallet to hold', example: 'wal_01J…' })
  @IsString()
  @Length(1, 64)
  walletId!: string;

  @ApiProperty({ description: 'Why, e.g. the customer reported a takeover (kept in the audit trail)', maxLength: 500 })
  @IsString()
  @Length(1, 500)
  reason!: string;

  @ApiPropertyOptional({ description: "Where the case begins (defaults to the wallet's earliest risky sign-in of the week before)" })
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;
}

class DamageQuery {
  @ApiPropertyOptional({ description: 'Sandbox time (ISO 8601); defaults to now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;
}

class RulePatch {
  @IsOptional() @IsBoolean() enabled?: boolean;
  @IsOptional() @IsInt() @Min(0) @Max(1000) score?: number;
  @IsOptional() @IsIn(RULE_ACTIONS) action?: RuleAction;
  @IsOptional() @IsInt() @Min(0) @Max(1_000_000_000) threshold?: number;
  @IsOptional() @IsInt() @Min(1) @Max(525_600) windowMinutes?: number;
  @IsOptional() @IsString({ each: true }) @Length(1, 32, { each: true }) categories?: string[];
}

class ThresholdsPatch {
  @IsOptional() @IsInt() @Min(0) @Max(10_000) stepUp?: number;
  @IsOptional() @IsInt() @Min(0) @Max(10_000) review?: number;
  @IsOptional() @IsInt() @Min(0) @Max(10_000) block?: number;
}

class FraudSettingsBody {
  @ApiPropertyOptional({
    description: `Per rule: { enabled, score, action (${RULE_ACTIONS.join(' | ')}), threshold, windowMinutes, categories }. Rules: ${RULE_IDS.join(', ')}`,
  })
  @IsOptional()
  @IsObject()
  rules?: Record<string, RulePatch>;

  @ApiPropertyOptional({ description: '{ stepUp, review, block } score thresholds' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ThresholdsPatch)
  thresholds?: ThresholdsPatch;

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(8760) holdExpiryHours?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(1440) sessionRiskMinutes?: number;
  @ApiPropertyOptional({ description: 'CIDRs taken as domestic (Japan)' })
  @IsOptional()
  @IsString({ each: true })
  domesticNetworks?: string[];
}

@ApiTags('fraud review')
@Auth('secret')
@Controller('v1')
export class FraudController {
  constructor(
    private readonly holds: Holds,
    private readonly settings: FraudSettingsStore,
    private readonly reports: DamageReports,
    private readonly alerts: Alerts,
    private readonly caseFiles: CaseFiles,
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
  async place(
    @CurrentSandbox() sandbox: SandboxContext,
    @CurrentPrincipal() principal: Principal,
    @Body() body: PlaceHoldBody,
  ): Promise<Hold> {
    const since = body.since ? new Date(body.since) : undefined;
    if (since && since > sandbox.time.now()) throw DomainError.invalid([{ field: 'since', message: 'must not be in the future' }]);
    const { holdExpiryHours } = await this.settings.get(sandbox.id);
    return this.holds.placeByOperator(
      sandbox,
      { walletId: body.walletId, reason: body.reason, since },
      actorOf(principal),
      holdExpiryHours,
    );
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
    return this.holds.release(sandbox, id, actorOf(principal), body.reason ?? 'released after review');
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
    const since = body.since ? new Date(body.since) : undefined;
    if (since && since > sandbox.time.now()) throw DomainError.invalid([{ field: 'since', message: 'must not be in the future' }]);
    return this.holds.confirmFraud(sandbox, id, actorOf(principal), body.reason ?? 'fraud confirmed after review', since);
  }

  @Get('fraud/alerts')
  @ApiOperation({
    operationId: 'listFraudAlerts',
    summary: 'Alerts, newest first: rule hits on what cannot be held (a store whose registers guess codes, an IP failing on many accounts)',
  })
  @ApiOkResponse({ type: AlertPageDto })
  async listAlerts(@CurrentSandbox() sandbox: SandboxContext, @Query() query: AlertsQuery): Promise<Page<Alert>> {
    const page = await this.alerts.list(sandbox.id, {
      subjectType: query.subjectType,
      limit: query.limit,
      startingAfter: query.starting_after,
    });
    return { data: page.data, has_more: page.hasMore };
  }

  @Get('fraud/settings')
  @ApiOperation({ operationId: 'getFraudSettings', summary: "The sandbox's fraud rules, thresholds and hold policy" })
  @ApiOkResponse({ type: FraudSettingsDto })
  getSettings(@CurrentSandbox() sandbox: SandboxContext): Promise<FraudSettings> {
    return this.settings.get(sandbox.id);
  }

  @Post('fraud/settings')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'updateFraudSettings',
    summary: 'Tune rules (on/off, score, threshold, window), thresholds and the hold policy for this sandbox',
  })
  @ApiOkResponse({ type: FraudSettingsDto })
  updateSettings(@CurrentSandbox() sandbox: SandboxContext, @Body() body: FraudSettingsBody): Promise<FraudSettings> {
    const problems: FieldError[] = [];
    for (const [id, patch] of Object.entries(body.rules ?? {})) {
      if (!RULE_IDS.includes(id as RuleId)) problems.push({ field: `rules.${id}`, message: 'is not a rule' });
      else if (patch === null || typeof patch !== 'object') problems.push({ field: `rules.${id}`, message: 'must be an object' });
      else {
        for (const error of validateSync(plainToInstance(RulePatch, patch), { whitelist: true, forbidNonWhitelisted: true })) {
          problems.push({ field: `rules.${id}.${error.property}`, message: Object.values(error.constraints ?? {}).join('; ') });
        }
      }
    }
    for (const [index, network] of (body.domesticNetworks ?? []).entries()) {
      if (!isCidr(network))
        problems.push({ field: `domesticNetworks[${index}]`, message: `'${network}' is not a CIDR such as 133.0.0.0/8` });
    }
    if (problems.length > 0) throw DomainError.invalid(problems);
    return this.settings.update(sandbox.id, body as never);
  }

  @Get('reports/damage')
  @ApiOperation({
    operationId: 'getDamageReport',
    summary: 'Confirmed victims and damage as of a time, with each compensation (7pay: "808 people / ¥38,615,473")',
    description:
      '`timeline` gives the figures over sandbox time: a point at each confirmation, each compensation paid and `asOf`, with the victims and damage confirmed by then and the damage of the victims compensated by then.',
  })
  @ApiOkResponse({ type: DamageReportDto })
  damage(@CurrentSandbox() sandbox: SandboxContext, @Query() query: DamageQuery): Promise<DamageReport> {
    return this.reports.asOf(sandbox.id, query.asOf ? new Date(query.asOf) : sandbox.time.now());
  }
}
