import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentSandbox, Problems, type SandboxContext } from '#core';
import { AttachReplayBody, ReplayDto, ReplayProgressBody } from './dto/replay.dto.js';
import type { ReplayView } from './replay-view.js';
import { AttachReplay } from './usecases/attach-replay.js';
import { GetReplay } from './usecases/get-replay.js';
import { ReportReplayProgress } from './usecases/report-replay-progress.js';

@ApiTags('sandbox tools')
@Auth('secret')
@Controller('v1/sandbox/replay')
export class SandboxReplayController {
  constructor(
    private readonly getReplay: GetReplay,
    private readonly attachReplay: AttachReplay,
    private readonly reportProgress: ReportReplayProgress,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'getReplay',
    summary: 'The replay of 2019 on this sandbox: chapter, sandbox date, counters, chart points, final report',
  })
  @ApiOkResponse({ type: ReplayDto })
  @Problems('no_replay')
  get(@CurrentSandbox() sandbox: SandboxContext): Promise<ReplayView> {
    return this.getReplay.execute(sandbox.id);
  }

  @Post()
  @ApiOperation({
    operationId: 'attachReplay',
    summary: 'Record a replay that runs on this sandbox (npm run demo:7pay -- --attach), so the console can watch it',
  })
  @ApiCreatedResponse({ type: ReplayDto })
  @Problems('replay_exists')
  attach(@CurrentSandbox() sandbox: SandboxContext, @Body() body: AttachReplayBody): Promise<ReplayView> {
    return this.attachReplay.execute(sandbox.id, body);
  }

  @Post('progress')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'reportReplayProgress',
    summary: "The runner's report: chapter, sandbox date, counters, chart points, and at the end the report and status",
  })
  @ApiOkResponse({ type: ReplayDto })
  @Problems('no_replay', 'invalid_transition')
  progress(@CurrentSandbox() sandbox: SandboxContext, @Body() body: ReplayProgressBody): Promise<ReplayView> {
    return this.reportProgress.execute(sandbox.id, {
      ...body,
      sandboxAt: body.sandboxAt ? new Date(body.sandboxAt) : undefined,
    });
  }
}
