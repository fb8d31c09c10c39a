import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentSandbox, OptionalBody, type Page, PageQuery, Problems, type SandboxContext } from '#core';
import type { Attempt } from './deliveries.repository.js';
import { AttemptDto, AttemptListDto, RedeliverBody, RedeliveryDto } from './dto/webhooks.dto.js';
import { ListEventDeliveries } from './usecases/list-event-deliveries.js';
import { type Redelivery, Redeliver } from './usecases/redeliver.js';

const toDto = (attempt: Attempt): AttemptDto => ({
  id: attempt.id,
  object: 'webhook_delivery_attempt',
  deliveryId: attempt.deliveryId,
  eventId: attempt.eventId,
  endpointId: attempt.endpointId,
  url: attempt.url,
  trigger: attempt.trigger,
  attempt: attempt.attempt,
  createdAt: attempt.attemptedAt.toISOString(),
  status: attempt.outcome,
  httpStatus: attempt.httpStatus,
  error: attempt.error,
  latencyMs: attempt.latencyMs,
  responseExcerpt: attempt.responseExcerpt,
  nextAttemptAt: attempt.nextAttemptAt?.toISOString() ?? null,
});

/** What became of an event's webhooks, and sending it again. */
@ApiTags('webhooks')
@Auth('secret')
@Controller('v1/events')
export class DeliveriesController {
  constructor(
    private readonly listDeliveries: ListEventDeliveries,
    private readonly redeliver: Redeliver,
  ) {}

  @Get(':id/deliveries')
  @ApiOperation({ operationId: 'listEventDeliveries', summary: 'Every attempt to deliver the event, to every endpoint, newest first' })
  @ApiOkResponse({ type: AttemptListDto })
  async list(@CurrentSandbox() sandbox: SandboxContext, @Param('id') id: string, @Query() query: PageQuery): Promise<Page<AttemptDto>> {
    const page = await this.listDeliveries.execute(sandbox.id, id, { limit: query.limit, startingAfter: query.starting_after });
    return { data: page.data.map(toDto), has_more: page.hasMore };
  }

  @Post(':id/redeliver')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'redeliverEvent',
    summary: 'Send the event again now, with the same body: to one endpoint or every enabled endpoint taking its type',
    description: 'A redelivery is the same message: the same `webhook-id` (the event id), a new timestamp and new signatures.',
  })
  @ApiBody({ type: RedeliverBody, required: false })
  @ApiAcceptedResponse({ type: RedeliveryDto })
  @Problems('endpoint_disabled')
  async redeliverEvent(
    @CurrentSandbox() sandbox: SandboxContext,
    @Param('id') id: string,
    @OptionalBody(RedeliverBody) body: RedeliverBody,
  ): Promise<Redelivery> {
    return this.redeliver.execute(sandbox, id, body.endpointId);
  }
}
