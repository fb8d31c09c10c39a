import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentSandbox, type SandboxContext } from '#core';
import { DamageQuery, DamageReportDto } from './dto/fraud.dto.js';
import { type DamageReport, ReportDamage } from './usecases/report-damage.js';

@ApiTags('fraud review')
@Auth('secret')
@Controller('v1')
export class DamageReportController {
  constructor(private readonly reports: ReportDamage) {}

  @Get('reports/damage')
  @ApiOperation({
    operationId: 'getDamageReport',
    summary: 'Confirmed victims and damage as of a time, with each compensation (7pay: "808 people / ¥38,615,473")',
    description:
      '`timeline` gives the figures over sandbox time: a point at each confirmation, each compensation paid and `asOf`, with the victims and damage confirmed by then and the damage of the victims compensated by then.',
  })
  @ApiOkResponse({ type: DamageReportDto })
  damage(@CurrentSandbox() sandbox: SandboxContext, @Query() query: DamageQuery): Promise<DamageReport> {
    return this.reports.asOf(sandbox.id, query.asOf ? new Date(query.asOf) : sandbox.time.now());
  }
}
