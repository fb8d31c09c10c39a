import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsDefined,
  IsEmail,
  IsObject,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { BankAccountBody, PageQuery, TOPUP_CHANNELS } from '#core';
import { E164, normalizeEmail } from '#identity';
import type { Notice } from '../notices.repository.js';
import { type Capabilities, PHASES, type Phase } from '../phases.js';
import { BOUNCING_ACCOUNT_NUMBER, CLAIM_STATUSES, type ClaimStatus, type PayoutMethod } from '../refund-claims.js';
import type { ServiceView } from '../usecases/get-service.js';

export class TransitionBody {
  @ApiProperty({
    enum: PHASES,
    description: 'The phase to move to; card_topup_suspended, topup_suspended and abolition_announced are set by hand',
  })
  @IsIn(PHASES)
  to!: Phase;

  @ApiPropertyOptional({ description: 'Sandbox time it takes effect (ISO 8601); omit for now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  effectiveAt?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;

  @ApiPropertyOptional({ description: 'Abolition only: when the service ends (nobody can pay from then on)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  terminationAt?: string;

  @ApiPropertyOptional({ description: 'Abolition only: when refund claims open (defaults to terminationAt)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  refundClaimsFrom?: string;

  @ApiPropertyOptional({ description: 'Abolition only: the claim deadline, at least 60 days after claims open' })
  @IsOptional()
  @IsISO8601({ strict: true })
  refundClaimsUntil?: string;
}

export class ForcedResetBody {
  @ApiPropertyOptional({ maxLength: 500, example: 'decided on review by the operator' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;
}

export class ClaimBody {
  @ApiProperty({ enum: ['bank_transfer', 'postal_payout'] })
  @IsIn(['bank_transfer', 'postal_payout'])
  method!: PayoutMethod;

  @ApiPropertyOptional({ type: BankAccountBody, description: `bank_transfer only. ${BOUNCING_ACCOUNT_NUMBER} bounces (no such account)` })
  @IsOptional()
  @ValidateNested()
  @Type(() => BankAccountBody)
  bankAccount?: BankAccountBody;

  @ApiPropertyOptional({ description: 'Customer: the registered e-mail address (checked)' })
  @IsOptional()
  @Transform(normalizeEmail)
  @IsEmail({}, { message: 'must be an e-mail address' })
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ description: 'Customer: the registered phone number, E.164 (checked)' })
  @IsOptional()
  @Matches(E164, { message: 'must be an E.164 phone number such as +819012345678' })
  phone?: string;

  @ApiPropertyOptional({
    description: 'Operator (secret key) only: the wallet to refund, from termination on (case by case after the deadline)',
  })
  @IsOptional()
  @Matches(/^wal_[0-9a-z]{26}$/, { message: 'must be a wallet id' })
  walletId?: string;
}

export class CorrectBankAccountBody {
  @ApiProperty({ type: BankAccountBody, description: `The new account. ${BOUNCING_ACCOUNT_NUMBER} bounces (no such account)` })
  @IsDefined({ message: 'is required' })
  @IsObject({ message: 'must be an object' })
  @ValidateNested()
  @Type(() => BankAccountBody)
  bankAccount!: BankAccountBody;
}

export class ClaimsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: CLAIM_STATUSES })
  @IsOptional()
  @IsIn(CLAIM_STATUSES)
  status?: ClaimStatus;
}

export class TopupCapabilitiesDto {
  @ApiProperty() card!: boolean;
  @ApiProperty() bank_debit!: boolean;
  @ApiProperty() atm!: boolean;
  @ApiProperty() register_cash!: boolean;
  @ApiProperty() points!: boolean;
}

export class CapabilitiesDto implements Capabilities {
  @ApiProperty({ description: 'New sign-ups' }) registration!: boolean;
  @ApiProperty() login!: boolean;
  @ApiProperty({ type: TopupCapabilitiesDto, description: `By channel: ${TOPUP_CHANNELS.join(', ')}` }) topup!: TopupCapabilitiesDto;
  @ApiProperty() payment!: boolean;
  @ApiProperty() refundClaims!: boolean;
}

export class ScheduledTransitionDto {
  @ApiProperty({ example: 'svt_01kaxq3m5v8c0000000000000000' }) id!: string;
  @ApiProperty({ enum: PHASES }) to!: Phase;
  @ApiProperty() effectiveAt!: string;
  @ApiProperty({ enum: ['effective', 'scheduled'] }) status!: 'effective' | 'scheduled';
  @ApiProperty({ type: 'string', nullable: true }) reason!: string | null;
  @ApiProperty({ example: 'notice', description: 'The operator credential that asked, or notice (a date of the abolition notice)' })
  requestedBy!: string;
}

export class NoticeDto implements Notice {
  @ApiProperty({ example: 'ntc_01kaxq3m5v8c0000000000000000' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() body!: string;
  @ApiProperty() publishedAt!: string;
  @ApiProperty({ description: 'When the service ends: nobody can pay from then on' }) terminationAt!: string;
  @ApiProperty() refundClaimsFrom!: string;
  @ApiProperty({ description: 'The claim deadline' }) refundClaimsUntil!: string;
  @ApiProperty({ type: 'integer', description: 'Customers the notice has reached so far' }) delivered!: number;
  @ApiProperty({ description: 'Whether it has reached every customer' }) deliveredToAll!: boolean;
}

// Nullable by reference: `type: NoticeDto, nullable: true` comes out as an object that may not be null.
@ApiExtraModels(NoticeDto)
export class ServiceViewDto implements ServiceView {
  @ApiProperty({ enum: PHASES }) phase!: Phase;
  @ApiProperty({ type: CapabilitiesDto, description: 'What the phase leaves open' }) capabilities!: CapabilitiesDto;
  @ApiProperty({ type: [ScheduledTransitionDto], description: 'Every transition, in order' }) schedule!: ScheduledTransitionDto[];
  @ApiProperty({ nullable: true, allOf: [{ $ref: getSchemaPath(NoticeDto) }], description: 'The abolition notice, once announced' })
  notice!: NoticeDto | null;
  @ApiProperty({ description: 'Sandbox time of the answer' }) asOf!: string;
}

export class ForcedResetDto {
  @ApiProperty({ example: 'evt_01kaxq3m5v8c0000000000000000', description: 'The service.password_reset_forced event' }) eventId!: string;
  @ApiProperty() forcedAt!: string;
}
