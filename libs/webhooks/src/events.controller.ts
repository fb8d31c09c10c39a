import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { Auth, CurrentSandbox, DomainError, EventLog, type Page, PageQuery, Problems, type SandboxContext, Topic } from '#core';
import { EventStreams } from './event-stream.js';
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

const EVENT_ID = /^evt_[0-9a-z]{26}$/;

class StreamQuery {
  @ApiPropertyOptional({
    description: 'Resume after this event id, for clients that cannot send `Last-Event-ID` (the header wins when both are given)',
    example: 'evt_01kaxq3m5v8c0000000000000000',
  })
  @IsOptional()
  @Matches(EVENT_ID, { message: 'after must be an event id (evt_…)' })
  after?: string;
}

/** Every outbox row of the sandbox, as its event log. */
@ApiTags('events')
@Auth('secret')
@Controller('v1/events')
export class EventsController {
  constructor(
    private readonly events: EventLog,
    private readonly streams: EventStreams,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'listEvents', summary: "The sandbox's events, newest first" })
  @ApiOkResponse({ type: EventListDto })
  async list(@CurrentSandbox() sandbox: SandboxContext, @Query() query: EventsQuery): Promise<Page<EventDto>> {
    const page = await this.events.list(sandbox.id, { limit: query.limit, startingAfter: query.starting_after, type: query.type });
    return { data: page.data.map(toDto), has_more: page.hasMore };
  }

  @Get('stream')
  @ApiOperation({
    operationId: 'streamEvents',
    summary: "The sandbox's events as they happen (server-sent events)",
    description:
      'A `text/event-stream` that stays open: each event as `id: <event id>`, `event: <type>`, `data: <the JSON of GET /v1/events/{id}>`, ' +
      'oldest first. Without a cursor it starts with the next event; with `Last-Event-ID` (or `?after=`) it first sends every event after that id, ' +
      'then the new ones, so a client that reconnects loses and repeats nothing. A comment line (`: heartbeat`) comes every 15 seconds of silence.',
  })
  @ApiProduces('text/event-stream')
  // While the api shuts down, a new stream is refused at once.
  @Problems('service_unavailable')
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'Resume after this event id (what EventSource sends when it reconnects)',
  })
  @ApiOkResponse({
    description: 'The stream of events',
    content: {
      'text/event-stream': {
        schema: { type: 'string', example: 'id: evt_…\nevent: payment.captured\ndata: {"id":"evt_…","object":"event",…}\n\n' },
      },
    },
  })
  async stream(
    @CurrentSandbox() sandbox: SandboxContext,
    @Query() query: StreamQuery,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const after = lastEventId?.trim() || query.after || null;
    if (after !== null && !EVENT_ID.test(after))
      throw DomainError.invalid([{ field: 'Last-Event-ID', message: 'must be an event id (evt_…)' }]);
    reply.hijack();
    const headers = Object.fromEntries(Object.entries(reply.getHeaders()).map(([name, value]) => [name, String(value)]));
    await this.streams.serve({ sandboxId: sandbox.id, afterId: after, response: reply.raw, headers });
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getEvent', summary: 'One event' })
  @ApiOkResponse({ type: EventDto })
  async get(@CurrentSandbox() sandbox: SandboxContext, @Param('id') id: string): Promise<EventDto> {
    const event = await this.events.get(sandbox.id, id);
    if (!event) throw DomainError.notFound('event', id);
    return toDto(event);
  }
}
