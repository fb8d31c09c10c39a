import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { actorOf, Auth, CurrentPrincipal, CurrentSandbox, OptionalBody, type Principal, Problems, type SandboxContext } from '#core';
import { ForcedResetBody, ForcedResetDto, ServiceViewDto, TransitionBody } from './dto/service.dto.js';
import { ForcePasswordReset } from './usecases/force-password-reset.js';
import { GetService, type ServiceView } from './usecases/get-service.js';
import { ScheduleTransition } from './usecases/schedule-transition.js';

const optionalDate = (value: string | undefined): Date | undefined => (value ? new Date(value) : undefined);

@ApiTags('service lifecycle')
@Controller('v1/service')
export class ServiceController {
  constructor(
    private readonly service: GetService,
    private readonly scheduleTransition: ScheduleTransition,
    private readonly forceReset: ForcePasswordReset,
  ) {}

  @Get()
  @Auth('secret', 'publishable', 'user')
  @ApiOperation({ operationId: 'getService', summary: 'The service phase, what it leaves open, the schedule and the abolition notice' })
  @ApiOkResponse({ type: ServiceViewDto })
  view(@CurrentSandbox() sandbox: SandboxContext): Promise<ServiceView> {
    return this.service.execute(sandbox);
  }

  @Post('transitions')
  @Auth('secret')
  @ApiOperation({
    operationId: 'scheduleServiceTransition',
    summary: 'Move the service on, now or at a sandbox time, in order only; abolition names its dates (60-day claim period)',
  })
  @ApiCreatedResponse({ type: ServiceViewDto })
  @Problems('invalid_transition', 'notice_period_too_short')
  async transition(
    @CurrentSandbox() sandbox: SandboxContext,
    @CurrentPrincipal() principal: Principal,
    @Body() body: TransitionBody,
  ): Promise<ServiceView> {
    await this.scheduleTransition.execute(
      sandbox,
      {
        to: body.to,
        effectiveAt: optionalDate(body.effectiveAt),
        reason: body.reason,
        terminationAt: optionalDate(body.terminationAt),
        refundClaimsFrom: optionalDate(body.refundClaimsFrom),
        refundClaimsUntil: optionalDate(body.refundClaimsUntil),
      },
      actorOf(principal),
    );
    return this.service.execute(sandbox);
  }

  @Post('password-reset')
  @HttpCode(202)
  @Auth('secret')
  @ApiOperation({
    operationId: 'forcePasswordReset',
    summary: 'Force every customer to set a new password (7pay, 2019-07-30): sessions end, old passwords stop signing in',
  })
  @ApiBody({ type: ForcedResetBody, required: false })
  @ApiAcceptedResponse({ type: ForcedResetDto })
  forcePasswordReset(
    @CurrentSandbox() sandbox: SandboxContext,
    @OptionalBody(ForcedResetBody) body: ForcedResetBody,
  ): Promise<{ eventId: string; forcedAt: string }> {
    return this.forceReset.execute(sandbox, body.reason ?? null);
  }
}
