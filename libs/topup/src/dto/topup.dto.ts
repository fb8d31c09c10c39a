import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { BankAccountBody, IsYenAmount, TOPUP_CHANNELS, type TopupChannel } from '#core';
import type { TopupSettings } from '../settings.js';
import type { TopupView } from '../topup-view.js';
import type { BankAccount, Card } from '../funding-sources.repository.js';

const ID = /^[a-z]{2,4}_[0-9a-z]{26}$/;

export class AddCardBody {
  @ApiProperty({ example: '4242424242424242', description: 'Test numbers: see docs/top-ups.md' })
  @Matches(/^\d{13,19}$/, { message: 'must be 13-19 digits' })
  number: string;

  @ApiProperty({ example: 12 })
  @IsInt()
  @Min(1)
  @Max(12)
  expMonth: number;

  @ApiProperty({ example: 2030 })
  @IsInt()
  @Min(2000)
  @Max(2100)
  expYear: number;

  @ApiProperty({ example: '123', description: 'Checked for shape, never stored' })
  @Matches(/^\d{3,4}$/, { message: 'must be 3 or 4 digits' })
  cvc: string;
}

/** Test numbers: 0000002 declines, 0009995 lacks funds, 0000119 fails once then succeeds. */
export class AddBankAccountBody extends BankAccountBody {}

export class TopupBody {
  @ApiProperty({ type: 'integer', minimum: 1, example: 10000 })
  @IsYenAmount()
  amount: number;

  @ApiProperty({ enum: TOPUP_CHANNELS })
  @IsIn(TOPUP_CHANNELS)
  channel: TopupChannel;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID, { message: 'must be a card id' })
  cardId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID, { message: 'must be a bank account id' })
  bankAccountId?: string;
}

export class ThreeDSecureBody {
  @ApiProperty({ example: '123456' })
  @Matches(/^\d{6}$/, { message: 'must be the 6 digits the card issuer sent' })
  code: string;
}

export class RegisterTopupBody {
  @ApiProperty({ description: "The customer's payment code, as scanned" })
  @Matches(/^\d{22}$/, { message: 'must be the 22 digits of a payment code' })
  code: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'The cash taken' })
  @IsYenAmount()
  amount: number;
}

export class AtmDepositBody {
  @ApiProperty({ example: '123456789012' })
  @Matches(/^\d{12}$/, { message: 'must be the 12-digit deposit code' })
  depositCode: string;
}

export class SeedPointsBody {
  @ApiProperty({ type: 'integer', minimum: 1, example: 5000 })
  @IsYenAmount()
  points: number;
}

class ChannelLimitPatch {
  @IsOptional() @IsYenAmount() max?: number;
  @IsOptional() @IsYenAmount() unit?: number;
}

class ChannelLimitsPatch {
  @IsOptional() @ValidateNested() @Type(() => ChannelLimitPatch) card?: ChannelLimitPatch;
  @IsOptional() @ValidateNested() @Type(() => ChannelLimitPatch) bank_debit?: ChannelLimitPatch;
  @IsOptional() @ValidateNested() @Type(() => ChannelLimitPatch) atm?: ChannelLimitPatch;
  @IsOptional() @ValidateNested() @Type(() => ChannelLimitPatch) register_cash?: ChannelLimitPatch;
  @IsOptional() @ValidateNested() @Type(() => ChannelLimitPatch) points?: ChannelLimitPatch;
}

class LimitsPatch {
  @ApiPropertyOptional({ type: 'integer' }) @IsOptional() @IsYenAmount() dailyCap?: number;
  @ApiPropertyOptional({ type: 'integer' }) @IsOptional() @IsYenAmount() maxBalance?: number;
  @ApiPropertyOptional({ description: '{ card: { max, unit }, … }' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ChannelLimitsPatch)
  channels?: ChannelLimitsPatch;
}

class GatewayPatch {
  @ApiPropertyOptional({ description: 'Added to each authorisation (ms)' }) @IsOptional() @IsInt() @Min(0) @Max(10_000) latencyMs?: number;
  @ApiPropertyOptional({ description: 'Chance (0..1) of a transient gateway failure, retried by the worker' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  failureRate?: number;
}

export class TopupSettingsBody {
  @ApiPropertyOptional() @IsOptional() @ValidateNested() @Type(() => LimitsPatch) limits?: LimitsPatch;
  @ApiPropertyOptional() @IsOptional() @ValidateNested() @Type(() => GatewayPatch) gateway?: GatewayPatch;
}

const BEHAVIORS = ['succeed', 'decline', 'insufficient_funds', 'three_d_secure', 'processing_error', 'expired_card'];

export class TestFundingSourceDto {
  @ApiProperty({ example: '4000000000003220', description: 'The card number, or the bank account number' }) number: string;
  @ApiProperty({ enum: BEHAVIORS }) behavior: string;
  @ApiProperty({ nullable: true, type: 'string', example: 'card_declined', description: "The top-up's failureCode when it fails" })
  failureCode: string | null;
  @ApiProperty({ description: 'What a top-up from it does, in English' }) description: string;
}

export class TestFundingSourceListDto {
  @ApiProperty({ type: [TestFundingSourceDto] }) data: TestFundingSourceDto[];
  @ApiProperty() has_more: boolean;
}

export class CardDto implements Card {
  @ApiProperty({ example: 'crd_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty({ enum: ['visa', 'mastercard', 'amex', 'jcb', 'diners', 'unknown'] }) brand: string;
  @ApiProperty({ example: '4242' }) last4: string;
  @ApiProperty({ type: 'integer', example: 12 }) expMonth: number;
  @ApiProperty({ type: 'integer', example: 2030 }) expYear: number;
  @ApiProperty() createdAt: string;
}

export class CardListDto {
  @ApiProperty({ type: [CardDto] }) data: CardDto[];
  @ApiProperty({ description: 'Always false: every card is listed' }) has_more: boolean;
}

export class BankAccountDto implements BankAccount {
  @ApiProperty({ example: 'bnk_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty({ example: '0001' }) bankCode: string;
  @ApiProperty({ example: '123' }) branchCode: string;
  @ApiProperty({ example: '4567', description: 'The last four digits of the account number' }) last4: string;
  @ApiProperty() holder: string;
  @ApiProperty() createdAt: string;
}

export class BankAccountListDto {
  @ApiProperty({ type: [BankAccountDto] }) data: BankAccountDto[];
  @ApiProperty({ description: 'Always false: every bank account is listed' }) has_more: boolean;
}

export class PointsDto {
  @ApiProperty({ example: 'wal_01kaxq3m5v8c0000000000000000' }) walletId: string;
  @ApiProperty({ type: 'integer', description: 'Loyalty points the wallet may top up with, 1 pt = ¥1' }) points: number;
}

/** What the top-up waits on: the ATM deposit, or the answer to 3-D Secure. */
export class TopupNextActionDto {
  @ApiProperty({ enum: ['atm_deposit', 'three_d_secure'] }) type: 'atm_deposit' | 'three_d_secure';
  @ApiPropertyOptional({ example: '123456789012', description: 'atm_deposit: the code to key in at the ATM' }) depositCode?: string;
  @ApiPropertyOptional({
    example: 'POST /v1/topups/top_01kaxq3m5v8c0000000000000000/three-d-secure',
    description: 'three_d_secure: where to send the code',
  })
  verifyWith?: string;
  @ApiProperty({ description: 'When the deposit code or the challenge lapses and the top-up fails' }) expiresAt: string;
}

// Nullable by reference: `type: TopupNextActionDto, nullable: true` comes out as an object that may not be null.
@ApiExtraModels(TopupNextActionDto)
export class TopupDto implements TopupView {
  @ApiProperty({ example: 'top_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty({ enum: ['topup'] }) object: 'topup';
  @ApiProperty({ enum: ['pending', 'succeeded', 'failed', 'held', 'canceled'] }) status: string;
  @ApiProperty({ type: 'integer', example: 10000 }) amount: number;
  @ApiProperty({ enum: TOPUP_CHANNELS }) channel: string;
  @ApiProperty({ example: 'wal_01kaxq3m5v8c0000000000000000' }) walletId: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'Card top-ups' }) cardId: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: 'Bank debit top-ups' }) bankAccountId: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: 'Register top-ups: the store that took the cash' }) storeId: string | null;
  @ApiProperty({
    type: 'string',
    nullable: true,
    example: 'card_declined',
    description:
      'Why it failed or was cancelled: card_declined, insufficient_funds, expired_card, gateway_unavailable, declined_by_screening, screening_failed, three_d_secure_failed, three_d_secure_expired, deposit_code_expired, fraud_confirmed, charge_cancelled',
  })
  failureCode: string | null;
  @ApiProperty({ nullable: true, allOf: [{ $ref: getSchemaPath(TopupNextActionDto) }] }) nextAction: Record<string, unknown> | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class ChannelLimitDto {
  @ApiProperty({ type: 'integer', example: 30000, description: 'Most per top-up (yen; points: 1 pt = ¥1)' }) max: number;
  @ApiProperty({ type: 'integer', example: 1000, description: 'Amounts must be a multiple of this' }) unit: number;
}

export class ChannelLimitsDto {
  @ApiProperty({ type: ChannelLimitDto }) card: ChannelLimitDto;
  @ApiProperty({ type: ChannelLimitDto }) bank_debit: ChannelLimitDto;
  @ApiProperty({ type: ChannelLimitDto }) atm: ChannelLimitDto;
  @ApiProperty({ type: ChannelLimitDto }) register_cash: ChannelLimitDto;
  @ApiProperty({ type: ChannelLimitDto }) points: ChannelLimitDto;
}

export class TopupLimitsDto {
  @ApiProperty({ type: ChannelLimitsDto }) channels: ChannelLimitsDto;
  @ApiProperty({ type: 'integer', example: 300000, description: 'Most topped up per wallet per day (Japan time), all channels' })
  dailyCap: number;
  @ApiProperty({ type: 'integer', example: 500000, description: 'Most a wallet may hold, counting top-ups in flight' })
  maxBalance: number;
}

export class GatewayBehaviourDto {
  @ApiProperty({ type: 'integer', example: 0, description: 'Added to each authorisation (ms)' }) latencyMs: number;
  @ApiProperty({ example: 0, description: 'Chance (0..1) of a transient gateway failure, retried by the worker' }) failureRate: number;
}

export class TopupSettingsDto implements TopupSettings {
  @ApiProperty({ type: TopupLimitsDto }) limits: TopupLimitsDto;
  @ApiProperty({ type: GatewayBehaviourDto }) gateway: GatewayBehaviourDto;
}
