import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DEFAULT_STEP_UP_ALLOWANCE } from '../usecases/create-sandbox.js';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsYenAmount, PageQuery, SECURITY_PROFILES, type SecurityProfile } from '#core';

const STEP_UP_ALLOWANCE = {
  type: 'integer',
  nullable: true,
  minimum: 0,
  example: DEFAULT_STEP_UP_ALLOWANCE,
  description:
    'Yen a wallet may pay in 24 hours of sandbox time without a second factor passed in the last 10 minutes: beyond it, ' +
    'a payment code or store-QR payment answers `step_up_required`. 0: every such payment steps up; null: none does. ' +
    "Defaults to 30,000 (null for 'legacy-2019', which ignores it: 7pay had no second factor).",
} as const;

export class CreateSandboxBody {
  @ApiProperty({ example: 'qa-run-1842', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiPropertyOptional({
    enum: SECURITY_PROFILES,
    default: 'hardened',
    description: "'legacy-2019' reproduces 7pay's weaknesses; never the default",
  })
  @IsOptional()
  @IsIn(SECURITY_PROFILES)
  securityProfile?: SecurityProfile;

  @ApiPropertyOptional({
    example: '2019-07-01T00:00:00+09:00',
    description: "Where the sandbox's clock starts (2000-01-01 to 2100-01-01); it moves forward only from there. Defaults to now.",
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(/^(20\d\d|2100-01-01)/, { message: 'must be between 2000 and 2100' })
  clockStartsAt?: string;

  @ApiPropertyOptional({
    default: false,
    description: "Take each request's client IP from the Sandbox-Client-Ip header, so a simulation can name its customers' networks",
  })
  @IsOptional()
  @IsBoolean()
  simulatedClientIps?: boolean;

  @ApiPropertyOptional(STEP_UP_ALLOWANCE)
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  stepUpAllowance?: number | null;
}

export class CreatedSandboxDto {
  @ApiProperty({ example: 'sbx_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: SECURITY_PROFILES }) securityProfile: SecurityProfile;
  @ApiProperty({ description: 'Whether the Sandbox-Client-Ip header names the client' }) simulatedClientIps: boolean;
  @ApiProperty(STEP_UP_ALLOWANCE) stepUpAllowance: number | null;
  @ApiProperty({ description: 'Shown once; stored only as a hash' }) secretKey: string;
  @ApiProperty({ description: 'Shown once; stored only as a hash' }) publishableKey: string;
  @ApiProperty() createdAt: string;
}

/** At most ten years per call; call again to go further. */
const MAX_ADVANCE_SECONDS = 10 * 365 * 24 * 60 * 60;

export class AdvanceClockBody {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_ADVANCE_SECONDS, example: 3600 })
  @IsInt()
  @Min(1)
  @Max(MAX_ADVANCE_SECONDS)
  seconds: number;
}

export class ClockDto {
  @ApiProperty({ description: 'Sandbox time now (ISO 8601 UTC)' }) now: string;
  @ApiProperty({ type: 'integer', description: 'How far the sandbox clock runs ahead of real time, in whole seconds' })
  offsetSeconds: number;
}

export class SandboxDto {
  @ApiProperty({ example: 'sbx_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: SECURITY_PROFILES, description: "'legacy-2019' reproduces 7pay's weaknesses" }) securityProfile: SecurityProfile;
  @ApiProperty({ description: 'Whether the Sandbox-Client-Ip header names the client' }) simulatedClientIps: boolean;
  @ApiProperty(STEP_UP_ALLOWANCE) stepUpAllowance: number | null;
  @ApiProperty({ description: 'When the sandbox was made (real time)' }) createdAt: string;
  @ApiProperty({ type: ClockDto }) clock: ClockDto;
}

export class SandboxResetDto {
  @ApiProperty({ example: 'sbx_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty({ description: 'Sandbox time of the reset' }) resetAt: string;
}

export class PublishableKeyDto {
  @ApiProperty({ example: 'key_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty({ description: 'pk_test_…, for an app or a browser; shown once, stored only as a hash' }) publishableKey: string;
  @ApiProperty() createdAt: string;
}

export class SandboxKeyDto {
  @ApiProperty({ example: 'key_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty({ enum: ['secret', 'publishable'] }) kind: 'secret' | 'publishable';
  @ApiProperty({ example: 'sk_test_AbCd…wxyz', description: 'Enough of the key to tell it apart; the key itself is shown once' })
  keyHint: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'When the key stops (or stopped) working: set by a revoke, or by a roll after its grace period; null while it lasts',
  })
  revokedAt: string | null;
}

export class SandboxKeyListDto {
  @ApiProperty({ type: [SandboxKeyDto] }) data: SandboxKeyDto[];
  @ApiProperty() has_more: boolean;
}

export class IssuedSandboxKeyDto extends SandboxKeyDto {
  @ApiProperty({
    example: 'sk_test_AbCdEfGhIjKlMnOpQrStUvWxYz012345',
    description: 'The new key (sk_test_… or pk_test_…): shown this once, stored only as a hash',
  })
  key: string;
}

export class RolledSandboxKeyDto extends IssuedSandboxKeyDto {
  @ApiProperty({ type: SandboxKeyDto, description: 'The key replaced, with the time it stops working' }) replaces: SandboxKeyDto;
}

export class MessagesQuery extends PageQuery {
  @ApiPropertyOptional({
    description:
      'An e-mail address or phone number. A query string decodes an unencoded `+` as a space, and no address starts with one: ' +
      '`to=+819012345678` and `to=%2B819012345678` both find +819012345678.',
  })
  // The `+` of an E.164 number typed into a URL arrives as a space.
  @Transform(({ value }) => (typeof value === 'string' && /^ \d+$/.test(value) ? `+${value.slice(1)}` : value))
  @IsOptional()
  @IsString()
  @MaxLength(254)
  to?: string;
}

/** The most one funding call may credit: ¥10 billion keeps every total far inside safe integers. */
export const MAX_FUNDING = 10_000_000_000;

export class FundWalletBody {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_FUNDING, example: 10000, description: 'Yen to credit' })
  @IsYenAmount({ max: MAX_FUNDING })
  amount: number;
}

export class WalletDto {
  @ApiProperty({ example: 'wal_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty({ type: 'integer' }) balance: number;
  @ApiProperty({ type: 'integer', description: 'Balance less pending holds' }) available: number;
}

export class FundedDto {
  @ApiProperty({ example: 'wal_01kaxq3m5v8c0000000000000000' }) walletId: string;
  @ApiProperty({ type: 'integer', example: 10000 }) amount: number;
  @ApiProperty({ example: 'trf_01kaxq3m5v8c0000000000000000' }) transferId: string;
  @ApiProperty({ type: 'integer' }) balance: number;
}

export class MessageDto {
  @ApiProperty({ example: 'msg_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty({ enum: ['email', 'sms'] }) channel: string;
  @ApiProperty() to: string;
  @ApiProperty({ nullable: true, type: 'string' }) subject: string | null;
  @ApiProperty() body: string;
  @ApiProperty() createdAt: string;
}

export class MessageListDto {
  @ApiProperty({ type: [MessageDto] }) data: MessageDto[];
  @ApiProperty() has_more: boolean;
}
