import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { PageQuery } from '#core';
import type { Hold, HoldStatus } from '../holds.js';
import type { Alert, AlertSubject } from '../rule-hits.repository.js';
import { type FraudSettings, RULE_ACTIONS, RULE_IDS, type RuleAction, type RuleSetting } from '../rules.js';
import type { CaseFile } from '../usecases/read-case-file.js';
import type { DamageReport, VictimLine } from '../usecases/report-damage.js';

const HOLD_STATUSES = ['open', 'released', 'confirmed', 'expired'] as const;
const COUNTRIES = ['JP', 'overseas'] as const;
const INPUTS = { type: 'object', additionalProperties: true, description: 'What the rule saw (counts, amounts, ids), by rule' } as const;

export class RuleHitDto {
  @ApiProperty({ enum: RULE_IDS, example: 'login.overseas_ip' }) rule: string;
  @ApiProperty({ type: 'integer', example: 30 }) score: number;
  @ApiProperty(INPUTS) inputs: Record<string, unknown>;
}

export class HoldAuditEntryDto {
  @ApiProperty() at: string;
  @ApiProperty({ example: 'rules', description: 'rules, policy (expiry) or the operator credential that acted' }) actor: string;
  @ApiProperty({ enum: ['placed', 'released', 'confirmed', 'expired'] }) action: string;
  @ApiProperty({ type: 'string', nullable: true }) note: string | null;
}

export class HoldDto implements Hold {
  @ApiProperty({ example: 'hld_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty({ example: 'wal_01kaxq3m5v8c0000000000000000' }) walletId: string;
  @ApiProperty({ type: 'string', nullable: true, example: 'usr_01kaxq3m5v8c0000000000000000' }) userId: string | null;
  @ApiProperty({ enum: HOLD_STATUSES }) status: HoldStatus;
  @ApiProperty() reason: string;
  @ApiProperty({ type: 'integer', example: 70, description: 'The score that placed it (0 for a hold an operator placed)' }) score: number;
  @ApiProperty({ enum: RULE_IDS, isArray: true, description: 'The rules that fired' }) rules: string[];
  @ApiProperty({ type: [RuleHitDto], description: 'Each rule that fired on the triggering event, with the inputs it saw' })
  hits: RuleHitDto[];
  @ApiProperty({ type: 'integer', description: 'The part of the score carried over from a risky sign-in shortly before' })
  sessionRisk: number;
  @ApiProperty({ type: [String], description: 'Top-ups the hold keeps from settling' }) topupIds: string[];
  @ApiProperty({ description: 'Where the case begins: what a confirmed fraud reaches back to' }) windowStart: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ description: 'When it is released by itself if nobody reviews it' }) expiresAt: string;
  @ApiProperty({ type: 'string', nullable: true }) resolvedAt: string | null;
  @ApiProperty({ type: 'string', nullable: true }) resolvedBy: string | null;
  @ApiProperty({ type: 'string', nullable: true }) resolutionReason: string | null;
  @ApiProperty({ type: [HoldAuditEntryDto] }) audit: HoldAuditEntryDto[];
}

export class HoldPageDto {
  @ApiProperty({ type: [HoldDto] }) data: HoldDto[];
  @ApiProperty() has_more: boolean;
}

export class ConfirmedHoldDto extends HoldDto {
  @ApiProperty({ example: 'vic_01kaxq3m5v8c0000000000000000', description: 'The victim recorded; compensation follows' }) victimId: string;
}

class CaseSignInDto {
  @ApiProperty() at: string;
  @ApiProperty({ type: 'string', nullable: true, example: '203.0.113.7' }) ip: string | null;
  @ApiProperty({ enum: COUNTRIES }) country: 'JP' | 'overseas';
  @ApiProperty({ type: 'string', nullable: true }) deviceId: string | null;
  @ApiProperty() newDevice: boolean;
  @ApiProperty({ type: 'integer' }) score: number;
}

class CaseDeviceDto {
  @ApiProperty() deviceId: string;
  @ApiProperty({ type: 'integer' }) signIns: number;
  @ApiProperty() firstSeen: string;
  @ApiProperty() lastSeen: string;
}

class CaseIpDto {
  @ApiProperty({ example: '203.0.113.7' }) ip: string;
  @ApiProperty({ enum: COUNTRIES }) country: 'JP' | 'overseas';
  @ApiProperty({ type: 'integer' }) signIns: number;
  @ApiProperty() firstSeen: string;
  @ApiProperty() lastSeen: string;
}

class CaseTopupDto {
  @ApiProperty({ example: 'top_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty() at: string;
  @ApiProperty({ type: 'integer', example: 30000 }) amount: number;
  @ApiProperty({ type: 'string', nullable: true, example: 'card' }) channel: string | null;
  @ApiProperty({ description: 'It succeeded' }) settled: boolean;
  @ApiProperty({ description: 'The hold keeps it' }) held: boolean;
  @ApiProperty({ type: 'integer' }) score: number;
}

class CasePaymentDto {
  @ApiProperty({ example: 'pay_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty() at: string;
  @ApiProperty({ type: 'integer', example: 12000 }) amount: number;
  @ApiProperty({ type: 'string', nullable: true }) storeId: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: 'tobacco' }) category: string | null;
  @ApiProperty({ type: 'integer' }) score: number;
}

export class CaseFileDto implements CaseFile {
  @ApiProperty({ example: 'hld_01kaxq3m5v8c0000000000000000' }) holdId: string;
  @ApiProperty({ example: 'wal_01kaxq3m5v8c0000000000000000' }) walletId: string;
  @ApiProperty({ description: 'A week before the case began' }) from: string;
  @ApiProperty({ description: 'Now (sandbox time)' }) to: string;
  @ApiProperty({ type: [CaseSignInDto] }) signIns: CaseSignInDto[];
  @ApiProperty({ type: [CaseDeviceDto] }) devices: CaseDeviceDto[];
  @ApiProperty({ type: [CaseIpDto] }) ips: CaseIpDto[];
  @ApiProperty({ type: [CaseTopupDto] }) topups: CaseTopupDto[];
  @ApiProperty({ type: [CasePaymentDto] }) payments: CasePaymentDto[];
}

export class AlertDto implements Alert {
  @ApiProperty({ example: 'evt_01kaxq3m5v8c0000000000000000', description: 'The event that raised it' }) id: string;
  @ApiProperty({ enum: RULE_IDS, example: 'store.invalid_codes' }) rule: string;
  @ApiProperty({ enum: ['store', 'ip'] }) subjectType: AlertSubject;
  @ApiProperty({ example: 'str_01kaxq3m5v8c0000000000000000', description: 'The store id or the IP address' }) subjectId: string;
  @ApiProperty({ type: 'integer' }) score: number;
  @ApiProperty(INPUTS) inputs: Record<string, unknown>;
  @ApiProperty() occurredAt: string;
}

export class AlertPageDto {
  @ApiProperty({ type: [AlertDto] }) data: AlertDto[];
  @ApiProperty() has_more: boolean;
}

export class RuleSettingDto implements RuleSetting {
  @ApiProperty() enabled: boolean;
  @ApiProperty({ type: 'integer', example: 30 }) score: number;
  @ApiProperty({ enum: RULE_ACTIONS, description: 'score adds to the total; the others force at least that decision' }) action: RuleAction;
  @ApiPropertyOptional({ type: 'integer', description: 'A count, an amount, a percentage or a speed, depending on the rule' })
  threshold?: number;
  @ApiPropertyOptional({ type: 'integer' }) windowMinutes?: number;
  @ApiPropertyOptional({ type: [String], example: ['tobacco', 'gift_cards'] }) categories?: string[];
}

/** Every rule's settings, by rule id. */
export class FraudRulesDto {}
for (const id of RULE_IDS) ApiProperty({ type: RuleSettingDto })(FraudRulesDto.prototype, id);

class ThresholdsDto {
  @ApiProperty({ type: 'integer', example: 30, description: 'A sign-in from this score demands a fresh second factor' }) stepUp: number;
  @ApiProperty({ type: 'integer', example: 60, description: 'A wallet is held for review from this score' }) review: number;
  @ApiProperty({ type: 'integer', example: 90, description: 'A top-up is declined from this score' }) block: number;
}

export class FraudSettingsDto implements FraudSettings {
  @ApiProperty({ type: FraudRulesDto }) rules: FraudSettings['rules'];
  @ApiProperty({ type: ThresholdsDto }) thresholds: ThresholdsDto;
  @ApiProperty({ type: 'integer', example: 72, description: 'An unreviewed hold is released by itself after this long (sandbox time)' })
  holdExpiryHours: number;
  @ApiProperty({ type: 'integer', example: 30, description: 'How long a risky sign-in keeps counting toward what the wallet does next' })
  sessionRiskMinutes: number;
  @ApiProperty({ type: [String], example: ['133.0.0.0/8'], description: 'Networks taken as domestic (Japan)' }) domesticNetworks: string[];
}

class CompensationDto {
  @ApiProperty({ enum: ['pending', 'paid'] }) status: 'pending' | 'paid';
  @ApiProperty({ type: 'integer', nullable: true, description: 'Paid back to the wallet (yen)' }) reimbursed: number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: "Reversed to the attacker's cards (yen)" }) reversed: number | null;
  @ApiProperty({ type: 'string', nullable: true }) paidAt: string | null;
}

export class VictimLineDto implements VictimLine {
  @ApiProperty({ example: 'vic_01kaxq3m5v8c0000000000000000' }) victimId: string;
  @ApiProperty({ example: 'hld_01kaxq3m5v8c0000000000000000' }) holdId: string;
  @ApiProperty({ example: 'wal_01kaxq3m5v8c0000000000000000' }) walletId: string;
  @ApiProperty({ type: 'string', nullable: true }) userId: string | null;
  @ApiProperty() confirmedAt: string;
  @ApiProperty({ type: 'integer', description: 'Top-ups charged in their name (yen)' }) fraudulentTopups: number;
  @ApiProperty({ type: 'integer', description: 'Payments made from their wallet (yen)' }) fraudulentPayments: number;
  @ApiProperty({ type: 'integer', description: 'What they lost before compensation (yen)' }) damage: number;
  @ApiProperty({ type: CompensationDto }) compensation: CompensationDto;
}

class CompensatedDto {
  @ApiProperty({ type: 'integer' }) victims: number;
  @ApiProperty({ type: 'integer', description: 'Yen' }) reimbursed: number;
  @ApiProperty({ type: 'integer', description: 'Yen' }) reversed: number;
}

class LedgerCompensationDto {
  @ApiProperty({ type: 'integer', description: 'From the fraud-loss account (yen)' }) reimbursed: number;
  @ApiProperty({ type: 'integer', description: 'To the card channel (yen)' }) reversed: number;
}

class DamagePointDto {
  @ApiProperty() at: string;
  @ApiProperty({ type: 'integer', description: 'Victims confirmed by then' }) victims: number;
  @ApiProperty({ type: 'integer', description: 'Their damage (yen)' }) damage: number;
  @ApiProperty({ type: 'integer', description: 'The damage of the victims compensated by then (yen)' }) compensated: number;
}

export class DamageReportDto implements DamageReport {
  @ApiProperty() asOf: string;
  @ApiProperty({ type: 'integer', example: 808 }) victims: number;
  @ApiProperty({ type: 'integer', example: 38615473, description: 'Yen' }) amount: number;
  @ApiProperty({ type: CompensatedDto }) compensated: CompensatedDto;
  @ApiProperty({ type: LedgerCompensationDto, description: 'The same compensation read back from the ledger' })
  ledger: LedgerCompensationDto;
  @ApiProperty({ type: [VictimLineDto] }) list: VictimLineDto[];
  @ApiProperty({ type: [DamagePointDto] }) timeline: DamagePointDto[];
}

export class HoldsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['open', 'released', 'confirmed', 'expired'] })
  @IsOptional()
  @IsIn(['open', 'released', 'confirmed', 'expired'])
  status?: HoldStatus;
}

export class AlertsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['store', 'ip'] })
  @IsOptional()
  @IsIn(['store', 'ip'])
  subjectType?: AlertSubject;
}

export class ReviewBody {
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

export class ConfirmBody extends ReviewBody {
  @ApiPropertyOptional({
    description: 'Where the fraudulent activity began (defaults to the riskiest sign-in before the hold)',
    example: '2019-07-02T10:00:00.000Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;
}

export class PlaceHoldBody {
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

export class DamageQuery {
  @ApiPropertyOptional({ description: 'Sandbox time (ISO 8601); defaults to now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;
}

export class RulePatch {
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

export class FraudSettingsBody {
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
