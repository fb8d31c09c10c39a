import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Auth, CurrentSandbox, DomainError, EventLog, type Page, PageQuery, type SandboxContext, Topic } from '#core';
import { eventView as toDto } from './event-view.js';

export class EventDto {
  @ApiProperty({ example: 'evt_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty({ enum: ['event'] }) object: 'event';
  @ApiProperty({ enum: Object.values(Topic) }) type: string;
  @ApiProperty({ description: 'Sandbox time of the state change' }) createdAt: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: 'string', description: 'The request that caused it' }) requestId: string | null;
}

class EventListDto {
  @ApiProperty({ type: [EventDto] }) data: EventDto[];
  @ApiProperty() has_more: boolean;
}

class EventsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: Object.values(Topic) })
  @IsOptional()
  @IsIn(Object.values(Topic))
  type?: Topic;
}

/** Every outbox row of the sandbox, as its event log. */
@ApiTags('events')
@Auth('secret')
@Controller('v1/events')
export class EventsController {
  constructor(private readonly events: EventLog) {}

  @Get()
  @ApiOperation({ summary: "The sandbox's events, newest first" })
  @ApiOkResponse({ type: EventListDto })
  async list(@CurrentSandbox() sandbox: SandboxContext, @Query() query: EventsQuery): Promise<Page<EventDto>> {
    const page = await this.events.list(sandbox.id, { limit: query.limit, startingAfter: query.starting_after, type: query.type });
    return { data: page.data.map(toDto), has_more: page.hasMore };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One event' })
  @ApiOkResponse({ type: EventDto })
  async get(@CurrentSandbox() sandbox: SandboxContext, @Param('id') id: string): Promise<EventDto> {
    const event = await this.events.get(sandbox.id, id);
    if (!event) throw DomainError.notFound('event', id);
    return toDto(event);
  }
}
