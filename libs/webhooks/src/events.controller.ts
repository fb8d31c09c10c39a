import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Auth, CurrentSandbox, DomainError, type Page, Problems, type SandboxContext } from '#core';
import { EVENT_ID, EventDto, EventListDto, EventsQuery, StreamQuery } from './dto/webhooks.dto.js';
import { EventStreams } from './event-stream.js';
import type { EventView } from './event-view.js';
import { GetEvent } from './usecases/get-event.js';
import { ListEvents } from './usecases/list-events.js';

/** Every outbox row of the sandbox, as its event log. */
@ApiTags('events')
@Auth('secret')
@Controller('v1/events')
export class EventsController {
  constructor(
    private readonly listEvents: ListEvents,
    private readonly getEvent: GetEvent,
    private readonly streams: EventStreams,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'listEvents', summary: "The sandbox's events, newest first" })
  @ApiOkResponse({ type: EventListDto })
  list(@CurrentSandbox() sandbox: SandboxContext, @Query() query: EventsQuery): Promise<Page<EventView>> {
    return this.listEvents.execute(sandbox.id, { limit: query.limit, startingAfter: query.starting_after, type: query.type });
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
  get(@CurrentSandbox() sandbox: SandboxContext, @Param('id') id: string): Promise<EventView> {
    return this.getEvent.execute(sandbox.id, id);
  }
}
