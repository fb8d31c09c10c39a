import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { systemNowMs } from '#core';
import {
  IsEmail,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  Validate,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';

export const normalizeEmail = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim().toLowerCase() : value);

/** E.164: a plus, the country code and the number, digits only (e.g. +819012345678). */
export const E164 = /^\+[1-9]\d{7,14}$/;
/** The app's installation id: random and long enough to be a credential (e.g. a UUID). */
const DEVICE_ID = /^[A-Za-z0-9._:-]{16,128}$/;

@ValidatorConstraint({ name: 'isPastDate' })
class IsPastDate implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
    const date = new Date(`${value}T00:00:00Z`);
    return (
      !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value) && value >= '1900-01-01' && date.getTime() <= systemNowMs()
    );
  }
  defaultMessage(): string {
    return 'must be a real past date in YYYY-MM-DD form';
  }
}

class EmailField {
  @ApiProperty({ example: 'aiko@example.test', maxLength: 254 })
  @Transform(normalizeEmail)
  @IsEmail({}, { message: 'must be an e-mail address' })
  @MaxLength(254)
  email: string;
}

export class RegisterBody extends EmailField {
  @ApiProperty({
    minLength: 8,
    maxLength: 256,
    description: 'At least 8 characters, no composition rules; common or breached passwords are refused',
  })
  @IsString()
  @Length(1, 1024)
  password: string;

  @ApiProperty({ example: '+819012345678', description: 'E.164' })
  @Matches(E164, { message: 'must be an E.164 phone number such as +819012345678' })
  phone: string;

  @ApiPropertyOptional({ example: '1990-04-01' })
  @IsOptional()
  @Validate(IsPastDate)
  birthday?: string;
}

export class LoginBody {
  @ApiProperty({ example: 'aiko@example.test' })
  @Transform(normalizeEmail)
  @IsString()
  @Length(1, 254)
  email: string;

  @ApiProperty()
  @IsString()
  @Length(1, 1024)
  password: string;

  @ApiProperty({
    example: '3f0b8c1e-6a4d-4b8e-9d2a-5c7e1f2a9b10',
    description: 'The app installation id (16-128 of A-Z a-z 0-9 . _ : -); treat it as a secret',
  })
  @Matches(DEVICE_ID, { message: 'must be 16-128 characters of A-Z, a-z, 0-9, ., _, : or -' })
  deviceId: string;
}

export class VerifyBody {
  @ApiProperty({ example: 'chl_01kaxq3m5v8c0000000000000000' })
  @IsString()
  @Length(1, 64)
  challengeId: string;

  @ApiProperty({ example: '123456' })
  @Matches(/^\d{6}$/, { message: 'must be the 6 digits of the code' })
  code: string;
}

export class RefreshBody {
  @ApiProperty()
  @IsString()
  @Length(1, 128)
  refreshToken: string;
}

export class ResetRequestBody extends EmailField {
  @ApiPropertyOptional({ description: 'legacy-2019 only: must match the registered birthday (2019-01-01 if never set)' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  birthday?: string;

  @ApiPropertyOptional({ description: 'legacy-2019 only: must match the registered phone' })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  phone?: string;

  @ApiPropertyOptional({ description: "legacy-2019 only: where the link goes (7pay's flaw); ignored on hardened" })
  @IsOptional()
  @Transform(normalizeEmail)
  @IsEmail({}, { message: 'must be an e-mail address' })
  @MaxLength(254)
  sendTo?: string;
}

export class ResetConfirmBody {
  @ApiProperty({ description: 'The token=… of the reset e-mail' })
  @IsString()
  @Length(1, 128)
  token: string;

  @ApiProperty()
  @IsString()
  @Length(1, 1024)
  newPassword: string;

  @ApiPropertyOptional({
    description:
      'The app installation id of the device completing the reset: it signs in past a lock strangers put on the account (with the second factor)',
  })
  @IsOptional()
  @Matches(DEVICE_ID, { message: 'must be 16-128 characters of A-Z, a-z, 0-9, ., _, : or -' })
  deviceId?: string;
}

export class ChangePasswordBody {
  @ApiProperty()
  @IsString()
  @Length(1, 1024)
  currentPassword: string;

  @ApiProperty()
  @IsString()
  @Length(1, 1024)
  newPassword: string;
}

export class ChangeEmailBody extends EmailField {}

export class ConfirmEmailBody {
  @ApiProperty({ description: 'The token=… of the confirmation e-mail sent to the new address' })
  @IsString()
  @Length(1, 128)
  token: string;
}

export class ChangePhoneBody {
  @ApiProperty({ example: '+819012345678' })
  @Matches(E164, { message: 'must be an E.164 phone number such as +819012345678' })
  phone: string;
}

export class PhoneChangeDto {
  @ApiProperty({
    example: 'Enter the code sent by SMS to the new number (POST /v1/account/phone/confirm); the phone changes once it is confirmed.',
  })
  message: string;
  @ApiProperty({ example: 'chl_01kaxq3m5v8c0000000000000000', description: 'The challenge to answer at POST /v1/account/phone/confirm' })
  challengeId: string;
  @ApiProperty({ enum: ['sms'], description: 'Always an SMS: the code proves the new number is yours' })
  method: 'sms';
  @ApiProperty({ example: '+81••••••0000', description: 'The new number the code went to, all but its last four digits hidden' })
  sentTo: string;
}

export class TotpConfirmBody {
  @ApiProperty({ example: '123456' })
  @Matches(/^\d{6}$/, { message: 'must be the 6 digits shown by the authenticator' })
  code: string;
}

export class TokensDto {
  @ApiProperty() accessToken: string;
  @ApiProperty({ example: 'rt_Vq3xN0bLr8cK2mW7pZ4tY9aE1sD6fG5hJ0kL3nB8vC2' }) refreshToken: string;
  @ApiProperty({ type: 'integer', example: 900, description: 'Seconds the access token lasts' }) expiresIn: number;
}

export class LoginResponseDto {
  @ApiPropertyOptional() accessToken?: string;
  @ApiPropertyOptional() refreshToken?: string;
  @ApiPropertyOptional({ type: 'integer', example: 900 }) expiresIn?: number;
  @ApiPropertyOptional({ description: 'A second factor is needed: verify the code sent to the registered phone' }) mfaRequired?: boolean;
  @ApiPropertyOptional() challengeId?: string;
  @ApiPropertyOptional({ enum: ['sms', 'totp'], description: 'Where the code comes from: an SMS, or the authenticator app once enrolled' })
  method?: 'sms' | 'totp';
  @ApiPropertyOptional({
    example: '+81••••••5678',
    description: 'SMS only: the registered phone the code went to, all but its last four digits hidden',
  })
  sentTo?: string;
}

export class RegisteredDto {
  @ApiProperty({ example: 'usr_01kaxq3m5v8c0000000000000000' }) userId: string;
  @ApiProperty({ example: 'wal_01kaxq3m5v8c0000000000000000' }) walletId: string;
}

export class SteppedUpDto {
  @ApiProperty({ description: 'Until then (sandbox time) this session makes calls that need a second factor without another code' })
  steppedUpUntil: string;
}

/** What a request whose outcome the caller may not learn answers (the same for every address). */
export class AcceptedMessageDto {
  @ApiProperty({ description: 'What happens next, for people' }) message: string;
}

export class AuthSessionDto {
  @ApiProperty({ example: 'ses_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty({ example: 'dev_01kaxq3m5v8c0000000000000000' }) deviceId: string;
  @ApiProperty({ type: 'string', nullable: true, example: '203.0.113.7' }) ip: string | null;
  @ApiProperty({ type: 'string', nullable: true }) userAgent: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() lastUsedAt: string;
  @ApiProperty({ description: 'The session making this call' }) current: boolean;
}

export class AuthSessionListDto {
  @ApiProperty({ type: [AuthSessionDto] }) data: AuthSessionDto[];
  @ApiProperty({ description: 'Always false: every open session is listed' }) has_more: boolean;
}

export class AuthDeviceDto {
  @ApiProperty({ example: 'dev_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty({ description: 'Passed a second factor: signs in with the password alone' }) trusted: boolean;
  @ApiProperty({ type: 'string', nullable: true }) userAgent: string | null;
  @ApiProperty() lastSeenAt: string;
  @ApiProperty() createdAt: string;
}

export class AuthDeviceListDto {
  @ApiProperty({ type: [AuthDeviceDto] }) data: AuthDeviceDto[];
  @ApiProperty({ description: 'Always false: every device is listed' }) has_more: boolean;
}

export class TotpEnrolmentDto {
  @ApiProperty({ example: 'JBSWY3DPEHPK3PXP', description: 'The base32 seed: shown only now' }) secret: string;
  @ApiProperty({ example: 'otpauth://totp/Wallet%20Sandbox:aiko%40example.test?secret=JBSWY3DPEHPK3PXP&issuer=Wallet%20Sandbox' })
  otpauthUrl: string;
}

export class ProfileDto {
  @ApiProperty({ example: 'usr_01kaxq3m5v8c0000000000000000' }) userId: string;
  @ApiProperty({ example: 'wal_01kaxq3m5v8c0000000000000000' }) walletId: string;
  @ApiProperty({ example: 'aiko@example.test' }) email: string;
  @ApiProperty({ example: '+819012345678' }) phone: string;
  @ApiProperty({ type: 'string', nullable: true, example: '1990-04-01' }) birthday: string | null;
  @ApiProperty({ description: 'Codes come from the authenticator app instead of SMS' }) totpEnabled: boolean;
  @ApiProperty() createdAt: string;
}
