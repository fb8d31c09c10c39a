import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
import { BankAccountBody, PageQuery } from '#core';
import { E164, normalizeEmail } from '#identity';
import { PHASES, type Phase } from '../phases.js';
import { BOUNCING_ACCOUNT_NUMBER, CLAIM_STATUSES, type ClaimStatus, type PayoutMethod } from '../refund-claims.js';

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
