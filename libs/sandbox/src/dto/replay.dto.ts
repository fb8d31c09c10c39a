import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  Max,
  ValidateNested,
} from 'class-validator';
import { REPLAY_PACES, type ReplayPace } from '../replays.repository.js';
import { CreatedSandboxDto } from './sandbox.dto.js';

const STATUSES = ['running', 'completed', 'failed', 'lost'] as const;
const REPORTED_STATUSES = ['running', 'completed', 'failed'] as const;
/** Yen figures of a replay stay far inside safe integers. */
const MAX_YEN = 1_000_000_000_000;
/** Customers a replay may have: the CLI's own range. */
export const REPLAY_CUSTOMERS = { min: 20, max: 20_000 } as const;
/** Customers of a replay started from the console: small enough to run beside everything else. */
export const CONSOLE_REPLAY_CUSTOMERS = { min: 20, max: 600 } as const;
const MAX_SEED = 2 ** 31;

/** A count or a yen figure of a replay: a whole number from zero. */
function Figure(description?: string): PropertyDecorator {
  return applyDecorators(ApiProperty({ type: 'integer', minimum: 0, description }), IsInt(), Min(0), Max(MAX_YEN));
}

export class ReplayCountersDto {
  @Figure('Customers signed up') signUps: number;
  @Figure('Accounts taken over') victims: number;
  @Figure("Yen charged in the victims' names") damage: number;
  @Figure('Yen paid out on refund claims') refundsPaid: number;
  @Figure('Yen left in the wallets (unclaimed, once the service ended)') unclaimed: number;
}

export class ReplayPointDto {
  @ApiProperty({ description: 'Sandbox time (ISO 8601)' })
  @IsISO8601({ strict: true })
  at: string;

  @Figure() damage: number;
  @Figure() refundsPaid: number;
  @Figure() unclaimed: number;
}

export class ReplayReportRowDto {
  @ApiProperty({ example: 'fraud victims' }) @IsString() @MaxLength(100) figure: string;

  @ApiProperty({ type: 'string', nullable: true, description: "As the sandbox's reports give it" })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  report: string | null;

  @ApiProperty({ type: 'string', nullable: true, description: 'As the ledger holds it' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  ledger: string | null;

  @ApiProperty({ type: 'string', nullable: true, description: 'As the replay counted it' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  replay: string | null;

  @ApiProperty({ description: 'Every source agrees' }) @IsBoolean() ok: boolean;
}

export class ReplayDto {
  @ApiProperty({ example: 'sbx_01kaxq3m5v8c0000000000000000' }) sandboxId: string;
  @ApiProperty({ enum: STATUSES, description: '`lost`: running, but silent for 60 s' }) status: string;
  @ApiProperty({ type: 'integer' }) customers: number;
  @ApiProperty({ type: 'integer' }) seed: number;
  @ApiProperty({ enum: REPLAY_PACES }) pace: string;
  @ApiProperty({ type: 'string', nullable: true, example: '07-02 Stuffing wave 1' }) chapter: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: 'Sandbox time the story has reached' }) sandboxAt: string | null;
  @ApiProperty({ type: ReplayCountersDto }) counters: ReplayCountersDto;
  @ApiProperty({ type: [ReplayPointDto], description: 'Damage, refunds paid and unclaimed yen over sandbox time' })
  points: ReplayPointDto[];
  @ApiProperty({ type: [ReplayReportRowDto], nullable: true, description: 'The reconciled final report, once the replay completed' })
  report: ReplayReportRowDto[] | null;
  @ApiProperty({ type: 'string', nullable: true, description: 'Why a replay failed' }) failure: string | null;
  @ApiProperty() startedAt: string;
  @ApiProperty({ type: 'string', nullable: true }) finishedAt: string | null;
  @ApiProperty({ description: 'When the runner last reported' }) heartbeatAt: string;
}

export class AttachReplayBody {
  @ApiProperty({ type: 'integer', minimum: REPLAY_CUSTOMERS.min, maximum: REPLAY_CUSTOMERS.max })
  @IsInt()
  @Min(REPLAY_CUSTOMERS.min)
  @Max(REPLAY_CUSTOMERS.max)
  customers: number;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: MAX_SEED })
  @IsInt()
  @Min(0)
  @Max(MAX_SEED)
  seed: number;

  @ApiProperty({ enum: REPLAY_PACES })
  @IsIn(REPLAY_PACES)
  pace: ReplayPace;
}

export class ReplayProgressBody {
  @ApiProperty({ enum: REPORTED_STATUSES, description: 'A completed or failed replay is final' })
  @IsIn(REPORTED_STATUSES)
  status: (typeof REPORTED_STATUSES)[number];

  @ApiPropertyOptional({ example: '07-02 Stuffing wave 1' }) @IsOptional() @IsString() @MaxLength(100) chapter?: string;

  @ApiPropertyOptional({ description: 'Sandbox time the story has reached' })
  @IsOptional()
  @IsISO8601({ strict: true })
  sandboxAt?: string;

  @ApiPropertyOptional({ type: ReplayCountersDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ReplayCountersDto)
  counters?: ReplayCountersDto;

  @ApiPropertyOptional({ type: [ReplayPointDto], description: 'Chart points to append (at most 100 a call)' })
  @IsOptional()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ReplayPointDto)
  points?: ReplayPointDto[];

  @ApiPropertyOptional({ type: [ReplayReportRowDto], description: 'The final report' })
  @IsOptional()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ReplayReportRowDto)
  report?: ReplayReportRowDto[];

  @ApiPropertyOptional({ description: 'Why the replay failed' }) @IsOptional() @IsString() @MaxLength(2_000) failure?: string;
}

export class StartReplayBody {
  @ApiProperty({ type: 'integer', minimum: CONSOLE_REPLAY_CUSTOMERS.min, maximum: CONSOLE_REPLAY_CUSTOMERS.max, example: 100 })
  @IsInt()
  @Min(CONSOLE_REPLAY_CUSTOMERS.min)
  @Max(CONSOLE_REPLAY_CUSTOMERS.max)
  customers: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: MAX_SEED,
    description: 'The same seed tells the same story (2019 if left out)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_SEED)
  seed?: number;

  @ApiProperty({ enum: REPLAY_PACES, description: '`presenter` pauses between chapters so an audience can follow' })
  @IsIn(REPLAY_PACES)
  pace: ReplayPace;
}

export class StartedReplayDto {
  @ApiProperty({ type: CreatedSandboxDto, description: "The replay's own legacy-2019 sandbox; its keys are shown once" })
  sandbox: CreatedSandboxDto;
  @ApiProperty({ type: ReplayDto }) replay: ReplayDto;
}
