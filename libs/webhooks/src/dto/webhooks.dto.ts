import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PageQuery, TOPICS, type Topic } from '#core';
import { ALL_EVENTS } from '../endpoints.repository.js';

const EVENT_TYPES = [ALL_EVENTS, ...TOPICS];

export class CreateEndpointBody {
  @ApiProperty({ example: 'https://example.com/webhooks/wallet', description: 'http or https; no credentials in it' })
  @IsString()
  @MaxLength(2048)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false, disallow_auth: true },
    { message: 'must be an http(s) URL' },
  )
  url: string;

  @ApiProperty({ example: ['payment.captured', 'topup.succeeded'], description: `Event types to receive, or ["${ALL_EVENTS}"] for all` })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(EVENT_TYPES.length)
  @IsIn(EVENT_TYPES, { each: true, message: 'each must be an event type or "*"' })
  events: string[];

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  description?: string;
}

export class RotateSecretBody {
  @ApiPropertyOptional({
    type: 'integer',
    description: 'How long the previous secret keeps signing beside the new one, in seconds of sandbox time (0 to 7 days)',
    default: 86_400,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(7 * 86_400)
  overlapSeconds?: number;
}

export class RedeliverBody {
  @ApiPropertyOptional({ description: 'Only to this endpoint (any enabled one); by default every enabled endpoint taking the type' })
  @IsOptional()
  @Matches(/^whe_[0-9a-z]{26}$/, { message: 'must be a webhook endpoint id' })
  endpointId?: string;
}

export class EndpointDto {
  @ApiProperty({ example: 'whe_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty({ enum: ['webhook_endpoint'] }) object: 'webhook_endpoint';
  @ApiProperty() url: string;
  @ApiProperty({ type: [String] }) events: string[];
  @ApiProperty({ nullable: true, type: 'string' }) description: string | null;
  @ApiProperty({ enum: ['enabled', 'disabled'] }) status: 'enabled' | 'disabled';
  @ApiProperty({ nullable: true, enum: ['operator', 'failing'] }) disabledReason: 'operator' | 'failing' | null;
  @ApiProperty({ nullable: true, type: 'string', description: 'Until then (sandbox time) deliveries also carry the previous secret' })
  previousSecretExpiresAt: string | null;
  @ApiProperty({ nullable: true, type: 'string', description: 'Since when every delivery has failed (sandbox time)' })
  failingSince: string | null;
  @ApiProperty() createdAt: string;
}

export class EndpointWithSecretDto extends EndpointDto {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    pattern: '^whsec_[0-9A-Za-z]{32}$',
    description:
      'The signing secret, shown only now: `whsec_` and 32 base62 characters, which are also base64 (24 bytes), the form Standard Webhooks ' +
      'libraries take as is. Wallet-Signature keys with the whole string, `whsec_` included; webhook-signature with the bytes the base64 encodes.',
  })
  secret: string;
}

export class EndpointListDto {
  @ApiProperty({ type: [EndpointDto] }) data: EndpointDto[];
  @ApiProperty() has_more: boolean;
}

export class AttemptDto {
  @ApiProperty({ example: 'wha_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty({ enum: ['webhook_delivery_attempt'] }) object: 'webhook_delivery_attempt';
  @ApiProperty({ description: 'The delivery of this event to this endpoint' }) deliveryId: string;
  @ApiProperty() eventId: string;
  @ApiProperty() endpointId: string;
  @ApiProperty() url: string;
  @ApiProperty({ enum: ['automatic', 'manual'] }) trigger: 'automatic' | 'manual';
  @ApiProperty({ nullable: true, type: 'integer', description: 'Automatic attempt number (1 = first); null for a redelivery' })
  attempt: number | null;
  @ApiProperty({ description: 'Sandbox time of the attempt' }) createdAt: string;
  @ApiProperty({ enum: ['succeeded', 'failed'] }) status: 'succeeded' | 'failed';
  @ApiProperty({ nullable: true, type: 'integer' }) httpStatus: number | null;
  @ApiProperty({ nullable: true, type: 'string', description: 'Why it failed: timeout, connection_refused, http_status, …' })
  error: string | null;
  @ApiProperty({ type: 'integer', description: 'Until the answer arrived (real milliseconds)' }) latencyMs: number;
  @ApiProperty({ nullable: true, type: 'string', description: 'The first 1 KiB of the answer' }) responseExcerpt: string | null;
  @ApiProperty({ nullable: true, type: 'string', description: 'When this failure scheduled the next automatic attempt (sandbox time)' })
  nextAttemptAt: string | null;
}

export class AttemptListDto {
  @ApiProperty({ type: [AttemptDto] }) data: AttemptDto[];
  @ApiProperty() has_more: boolean;
}

export class RedeliveryItemDto {
  @ApiProperty({ example: 'whd_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty({ example: 'whe_01kaxq3m5v8c0000000000000000' }) endpointId: string;
  @ApiProperty() url: string;
}

export class RedeliveryDto {
  @ApiProperty({ example: 'evt_01kaxq3m5v8c0000000000000000' }) eventId: string;
  @ApiProperty({ type: [RedeliveryItemDto], description: 'The deliveries queued, one per endpoint' }) deliveries: RedeliveryItemDto[];
}

export class EventDto {
  @ApiProperty({ example: 'evt_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty({ enum: ['event'] }) object: 'event';
  @ApiProperty({ enum: TOPICS }) type: string;
  @ApiProperty({ description: 'Sandbox time of the state change' }) createdAt: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: 'string', description: 'The request that caused it' }) requestId: string | null;
}

export class EventListDto {
  @ApiProperty({ type: [EventDto] }) data: EventDto[];
  @ApiProperty() has_more: boolean;
}

export class EventsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: TOPICS })
  @IsOptional()
  @IsIn(TOPICS)
  type?: Topic;
}

export const EVENT_ID = /^evt_[0-9a-z]{26}$/;

export class StreamQuery {
  @ApiPropertyOptional({
    description: 'Resume after this event id, for clients that cannot send `Last-Event-ID` (the header wins when both are given)',
    example: 'evt_01kaxq3m5v8c0000000000000000',
  })
  @IsOptional()
  @Matches(EVENT_ID, { message: 'after must be an event id (evt_…)' })
  after?: string;
}
