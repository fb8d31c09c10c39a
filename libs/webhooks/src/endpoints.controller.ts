import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentSandbox, NoBody, OptionalBody, type Page, PageQuery, Problems, type SandboxContext } from '#core';
import { CreateEndpointBody, EndpointDto, EndpointListDto, EndpointWithSecretDto, RotateSecretBody } from './dto/webhooks.dto.js';
import { type EndpointView, ManageEndpoints } from './usecases/manage-endpoints.js';

/** What every delivery to an endpoint carries; both schemes sign with the same secret. */
const DELIVERY_HEADERS =
  "Each delivery is a POST of the JSON of GET /v1/events/{id}, signed twice with the endpoint's secret: " +
  "`Wallet-Signature: t=<unix seconds>,v1=<hex>` (Stripe's scheme: HMAC-SHA256 of `<t>.<raw body>`, keyed with the whole secret string), and " +
  'the Standard Webhooks headers `webhook-id` (the event id, the same on every retry and redelivery), `webhook-timestamp` (the same seconds as `t`) and ' +
  '`webhook-signature: v1,<base64>` (HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<raw body>`, keyed with the bytes of the base64 after `whsec_`). ' +
  'Also `Wallet-Event-Id` (the event id) and `User-Agent: WalletSandbox-Webhooks/1`.';

@ApiTags('webhooks')
@Auth('secret')
@Controller('v1/webhook-endpoints')
export class EndpointsController {
  constructor(private readonly endpoints: ManageEndpoints) {}

  @Post()
  @ApiOperation({
    operationId: 'createWebhookEndpoint',
    summary: 'Receive events at a URL; the signing secret is shown once',
    description: DELIVERY_HEADERS,
  })
  @ApiCreatedResponse({ type: EndpointWithSecretDto })
  @Problems('url_not_allowed', 'limit_exceeded')
  create(@CurrentSandbox() sandbox: SandboxContext, @Body() body: CreateEndpointBody): Promise<EndpointView & { secret: string }> {
    return this.endpoints.create(sandbox, body);
  }

  @Get()
  @ApiOperation({ operationId: 'listWebhookEndpoints', summary: "The sandbox's webhook endpoints, newest first" })
  @ApiOkResponse({ type: EndpointListDto })
  async list(@CurrentSandbox() sandbox: SandboxContext, @Query() query: PageQuery): Promise<Page<EndpointView>> {
    const page = await this.endpoints.list(sandbox, { limit: query.limit, startingAfter: query.starting_after });
    return { data: page.data, has_more: page.hasMore };
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getWebhookEndpoint', summary: 'One webhook endpoint' })
  @ApiOkResponse({ type: EndpointDto })
  get(@CurrentSandbox() sandbox: SandboxContext, @Param('id') id: string): Promise<EndpointView> {
    return this.endpoints.get(sandbox, id);
  }

  @Delete(':id')
  @NoBody()
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteWebhookEndpoint', summary: 'Remove an endpoint: its pending retries stop, its delivery log stays' })
  @ApiNoContentResponse()
  async remove(@CurrentSandbox() sandbox: SandboxContext, @Param('id') id: string): Promise<void> {
    await this.endpoints.remove(sandbox, id);
  }

  @Post(':id/disable')
  @NoBody()
  @HttpCode(200)
  @ApiOperation({ operationId: 'disableWebhookEndpoint', summary: 'Stop deliveries to it, pending retries included' })
  @ApiOkResponse({ type: EndpointDto })
  disable(@CurrentSandbox() sandbox: SandboxContext, @Param('id') id: string): Promise<EndpointView> {
    return this.endpoints.disable(sandbox, id);
  }

  @Post(':id/enable')
  @NoBody()
  @HttpCode(200)
  @ApiOperation({ operationId: 'enableWebhookEndpoint', summary: 'Resume deliveries from the next event on' })
  @ApiOkResponse({ type: EndpointDto })
  enable(@CurrentSandbox() sandbox: SandboxContext, @Param('id') id: string): Promise<EndpointView> {
    return this.endpoints.enable(sandbox, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'rotateWebhookEndpointSecret',
    summary: 'A new signing secret, shown once; the previous one keeps signing beside it during the overlap',
    description:
      "During the overlap every delivery carries two signatures in each scheme, the new secret's first: two `v1=` in `Wallet-Signature`, " +
      'two space-separated `v1,` in `webhook-signature`. A receiver holding either secret verifies.',
  })
  @ApiBody({ type: RotateSecretBody, required: false })
  @ApiOkResponse({ type: EndpointWithSecretDto })
  async rotateSecret(
    @CurrentSandbox() sandbox: SandboxContext,
    @Param('id') id: string,
    @OptionalBody(RotateSecretBody) body: RotateSecretBody,
  ): Promise<EndpointView & { secret: string }> {
    return this.endpoints.rotateSecret(sandbox, id, body.overlapSeconds);
  }
}
