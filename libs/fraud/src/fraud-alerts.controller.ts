import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentSandbox, type Page, type SandboxContext } from '#core';
import { AlertPageDto, AlertsQuery } from './dto/fraud.dto.js';
import type { Alert } from './rule-hits.repository.js';
import { ListAlerts } from './usecases/list-alerts.js';

@ApiTags('fraud review')
@Auth('secret')
@Controller('v1')
export class FraudAlertsController {
  constructor(private readonly alerts: ListAlerts) {}

  @Get('fraud/alerts')
  @ApiOperation({
    operationId: 'listFraudAlerts',
    summary: 'Alerts, newest first: rule hits on what cannot be held (a store whose registers guess codes, an IP failing on many accounts)',
  })
  @ApiOkResponse({ type: AlertPageDto })
  async list(@CurrentSandbox() sandbox: SandboxContext, @Query() query: AlertsQuery): Promise<Page<Alert>> {
    const page = await this.alerts.list(sandbox.id, {
      subjectType: query.subjectType,
      limit: query.limit,
      startingAfter: query.starting_after,
    });
    return { data: page.data, has_more: page.hasMore };
  }
}
