import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentSandbox, Problems, type SandboxContext } from '#core';
import { AttachReplayBody, ReplayDto, ReplayProgressBody, StartReplayBody, StartedReplayDto } from './replay.dto.js';
import { ReplayRunner } from './replay-runner.js';
import { type ReplayView, Replays } from './replays.js';

@ApiTags('sandbox tools')
@Auth('secret')
@Controller('v1/sandbox/replay')
export class SandboxReplayController {
  constructor(private readonly replays: Replays) {}

  @Get()
  @ApiOperation({
    operationId: 'getReplay',
    summary: 'The replay of 2019 on this sandbox: chapter, sandbox date, counters, chart points, final report',
  })
  @ApiOkResponse({ type: ReplayDto })
  @Problems('no_replay')
  get(@CurrentSandbox() sandbox: SandboxContext): Promise<ReplayView> {
    return this.replays.get(sandbox.id);
  }

  @Post()
  @ApiOperation({
    operationId: 'attachReplay',
    summary: 'Record a replay that runs on this sandbox (npm run demo:7pay -- --attach), so the console can watch it',
  })
  @ApiCreatedResponse({ type: ReplayDto })
  @Problems('replay_exists')
  attach(@CurrentSandbox() sandbox: SandboxContext, @Body() body: AttachReplayBody): Promise<ReplayView> {
    return this.replays.start(sandbox.id, body);
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
    return this.replays.progress(sandbox.id, {
      ...body,
      sandboxAt: body.sandboxAt ? new Date(body.sandboxAt) : undefined,
    });
  }
}

@ApiTags('sandbox tools')
@Auth('secret', 'admin')
@Controller('v1/replays')
export class ReplaysController {
  constructor(private readonly runner: ReplayRunner) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    operationId: 'startReplay',
    summary: "Replay 7pay's 2019 on a new legacy-2019 sandbox, run by the api beside it; watch it with GET /v1/sandbox/replay",
  })
  @ApiAcceptedResponse({ type: StartedReplayDto })
  @Problems('replay_running', 'service_unavailable')
  start(@Body() body: StartReplayBody): Promise<unknown> {
    return this.runner.start(body);
  }
}
