import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { BankAccountBody, IsYenAmount, TOPUP_CHANNELS, type TopupChannel } from '#core';

const ID = /^[a-z]{2,4}_[0-9a-z]{26}$/;

export class AddCardBody {
  @ApiProperty({ example: '4242424242424242', description: 'Test numbers: see the README' })
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

export class BankAccountDto {
  @ApiProperty({ example: 'bnk_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty({ example: '0001' }) bankCode: string;
  @ApiProperty({ example: '123' }) branchCode: string;
  @ApiProperty({ example: '4567', description: 'The last four digits of the account number' }) last4: string;
  @ApiProperty() holder: string;
  @ApiProperty() createdAt: string;
}

export class BankAccountListDto {
  @ApiProperty({ type: [BankAccountDto] }) data: BankAccountDto[];
  @ApiProperty() has_more: boolean;
}

export class PointsDto {
  @ApiProperty() walletId: string;
  @ApiProperty({ type: 'integer', description: 'Loyalty points the wallet may top up with, 1 pt = ¥1' }) points: number;
}
