import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsLatitude,
  IsNumber,
  IsLongitude,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsYenAmount, PageQuery } from '#core';

export class StoreLocation {
  @ApiProperty({ example: 35.6717 })
  @IsNumber()
  @IsLatitude()
  latitude: number;

  @ApiProperty({ example: 139.765 })
  @IsNumber()
  @IsLongitude()
  longitude: number;
}

export class CreateStoreBody {
  @ApiProperty({ example: '7-Eleven Ginza 1-chome', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiPropertyOptional({ example: '5411', description: 'ISO 18245 merchant category code (4 digits); 5411 by default' })
  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'must be 4 digits' })
  categoryCode?: string;

  @ApiPropertyOptional({ example: 'Tokyo', maxLength: 15 })
  @IsOptional()
  @IsString()
  @Length(1, 15)
  city?: string;

  @ApiPropertyOptional({
    type: StoreLocation,
    description: 'Where the store is: the fraud rules spot payments too far apart for the time between them',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => StoreLocation)
  location?: StoreLocation;
}

export class CreateTerminalBody {
  @ApiProperty({ example: 'Register 2', minLength: 1, maxLength: 25 })
  @IsString()
  @Length(1, 25)
  name: string;
}

const ID = /^[a-z]{2,4}_[0-9a-z]{26}$/;

export class CaptureBody {
  @ApiProperty({ example: '7912345678901234567897', description: 'The 22 digits the scanner read' })
  @Matches(/^\d{22}$/, { message: 'must be the 22 digits of a payment code' })
  code: string;

  @ApiProperty({ type: 'integer', minimum: 1, example: 1200 })
  @IsYenAmount()
  amount: number;

  @ApiPropertyOptional({ default: true, description: 'false reserves the amount (authorized) for a later capture or void' })
  @IsOptional()
  @IsBoolean()
  capture?: boolean;

  @ApiPropertyOptional({ default: false, description: 'Pay what the balance covers; the rest is due in cash (cashDue)' })
  @IsOptional()
  @IsBoolean()
  allowPartial?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID, { message: 'must be a terminal id' })
  terminalId?: string;

  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  orderRef?: string;

  @ApiPropertyOptional({
    example: 'tobacco',
    description: "The basket's category, for the fraud rules (e.g. tobacco, groceries, gift_cards)",
  })
  @IsOptional()
  @Matches(/^[a-z_]{1,32}$/, { message: 'must be a lowercase slug such as tobacco' })
  category?: string;
}

export class AmountBody {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'Defaults to all that is left' })
  @IsOptional()
  @IsYenAmount()
  amount?: number;
}

export class StoreCodeBody {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'With an amount the code is dynamic and single use; without, static' })
  @IsOptional()
  @IsYenAmount()
  amount?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID, { message: 'must be a terminal id' })
  terminalId?: string;
}

export class PayStoreCodeBody {
  @ApiProperty({ description: 'The EMVCo payload the app scanned' })
  @IsString()
  @MaxLength(512)
  payload: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'Required for a static code' })
  @IsOptional()
  @IsYenAmount()
  amount?: number;
}

export class PaymentDto {
  @ApiProperty({ example: 'pay_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty({ enum: ['payment'] }) object: 'payment';
  @ApiProperty({ enum: ['authorized', 'captured', 'voided', 'expired'] }) status: string;
  @ApiProperty({ type: 'integer', example: 1200, description: 'Paid (or authorised) from the wallet' }) amount: number;
  @ApiProperty({ type: 'integer' }) requestedAmount: number;
  @ApiProperty({ type: 'integer', description: 'Left to pay in cash (partial payments)' }) cashDue: number;
  @ApiProperty({ type: 'integer' }) capturedAmount: number;
  @ApiProperty({ type: 'integer' }) refundedAmount: number;
  @ApiProperty({ example: 'wal_01kaxq3m5v8c0000000000000000' }) walletId: string;
  @ApiProperty({ example: 'str_01kaxq3m5v8c0000000000000000' }) storeId: string;
  @ApiProperty({ nullable: true, type: 'string' }) terminalId: string | null;
  @ApiProperty({ enum: ['cpm', 'mpm'] }) method: string;
  @ApiProperty({ nullable: true, type: 'string' }) orderRef: string | null;
  @ApiProperty({ nullable: true, type: 'string' }) category: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: 'string' }) capturedAt: string | null;
  @ApiProperty({ nullable: true, type: 'string', description: 'When an authorization lapses' }) expiresAt: string | null;
}

export class PaymentListDto {
  @ApiProperty({ type: [PaymentDto] }) data: PaymentDto[];
  @ApiProperty() has_more: boolean;
}

export class PaymentsQuery extends PageQuery {
  @ApiPropertyOptional({ description: "Only this terminal's payments" })
  @IsOptional()
  @Matches(ID, { message: 'must be a terminal id' })
  terminalId?: string;
}

// Nullable by reference: `type: StoreLocation, nullable: true` comes out as an object that may not be null.
@ApiExtraModels(StoreLocation)
export class StoreDto {
  @ApiProperty({ example: 'str_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: '5411' }) categoryCode: string;
  @ApiProperty() city: string;
  @ApiProperty({ nullable: true, allOf: [{ $ref: getSchemaPath(StoreLocation) }] }) location: StoreLocation | null;
  @ApiProperty() createdAt: string;
}

/** A new store, with its first register key: shown this once. */
export class CreatedStoreDto extends StoreDto {
  @ApiProperty({
    example: 'stk_test_AbCdEfGhIjKlMnOpQrStUvWxYz012345',
    description: 'The register key (Bearer stk_test_…): shown this once, stored only as a hash',
  })
  apiKey: string;
}

export class TerminalDto {
  @ApiProperty({ example: 'trm_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty({ example: 'str_01kaxq3m5v8c0000000000000000' }) storeId: string;
  @ApiProperty({ example: 'Register 2' }) name: string;
  @ApiProperty() createdAt: string;
}

export class RefundDto {
  @ApiProperty({ example: 'ref_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty({ example: 'pay_01kaxq3m5v8c0000000000000000' }) paymentId: string;
  @ApiProperty({ type: 'integer', example: 500, description: 'Refunded to the wallet by this refund' }) amount: number;
  @ApiProperty({ type: 'integer', example: 500, description: 'Refunded by every refund of the payment so far' }) refundedTotal: number;
  @ApiProperty() createdAt: string;
}

export class StoreCodeDto {
  @ApiProperty({ example: 'stc_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty({ enum: ['static', 'dynamic'], description: 'dynamic: carries an amount and is paid once' }) kind: 'static' | 'dynamic';
  @ApiProperty({ type: 'integer', nullable: true, example: 1200 }) amount: number | null;
  @ApiProperty({ description: 'The EMVCo MPM payload the QR encodes' }) payload: string;
  @ApiProperty() createdAt: string;
}

export class StoreListDto {
  @ApiProperty({ type: [StoreDto] }) data: StoreDto[];
  @ApiProperty() has_more: boolean;
}

export class StoreKeyDto {
  @ApiProperty({ example: 'key_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty() storeId: string;
  @ApiProperty({ description: 'The register key (Bearer stk_test_…): shown this once, stored only as a hash' }) apiKey: string;
  @ApiProperty({ example: 'stk_test_AbCd…wxyz' }) keyHint: string;
  @ApiProperty() createdAt: string;
}

/** A register key afterwards: never the key itself. */
export class StoreKeyStateDto {
  @ApiProperty({ example: 'key_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty() storeId: string;
  @ApiProperty({ example: 'stk_test_AbCd…wxyz' }) keyHint: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({
    type: 'string',
    nullable: true,
    description:
      'When the key stops (or stopped) working, in real time: set by a revoke, or by a roll after its grace period; null while it lasts',
  })
  revokedAt: string | null;
}

export class StoreKeyListDto {
  @ApiProperty({ type: [StoreKeyStateDto] }) data: StoreKeyStateDto[];
  @ApiProperty() has_more: boolean;
}

export class RolledStoreKeyDto extends StoreKeyDto {
  @ApiProperty({ type: 'null', description: 'The new key lasts until rolled or revoked' }) revokedAt: null;
  @ApiProperty({ type: StoreKeyStateDto, description: 'The key replaced, with the time it stops working' }) replaces: StoreKeyStateDto;
}
