import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Auth, CurrentSandbox, type SandboxContext } from '#core';
import { AttachReplayBody, ReplayDto, ReplayProgressBody, StartReplayBody, StartedReplayDto } from './replay.dto.js';
import { ReplayRunner } from './replay-runner.js';
import { type ReplayView, Replays } from './replays.js';

const BAD_INPUT = '`invalid_request`: a field is missing or out of range';
const NO_REPLAY = '`no_replay`: no replay was started on this sandbox';

@ApiTags('sandbox tools')
@Auth('secret')
@Controller('v1/sandbox/replay')
export class SandboxReplayController {
  constructor(private readonly replays: Replays) {}

  @Get()
  @ApiOperation({ summary: 'The replay of 2019 on this sandbox: chapter, sandbox date, counters, chart points, final report' })
  @ApiOkResponse({ type: ReplayDto })
  @ApiNotFoundResponse({ description: NO_REPLAY })
  get(@CurrentSandbox() sandbox: SandboxContext): Promise<ReplayView> {
    return this.replays.get(sandbox.id);
  }

  @Post()
  @ApiOperation({ summary: 'Record a replay that runs on this sandbox (npm run demo:7pay -- --attach), so the console can watch it' })
  @ApiCreatedResponse({ type: ReplayDto })
  @ApiBadRequestResponse({ description: BAD_INPUT })
  @ApiConflictResponse({ description: '`replay_exists`: a replay is running on this sandbox' })
  attach(@CurrentSandbox() sandbox: SandboxContext, @Body() body: AttachReplayBody): Promise<ReplayView> {
    return this.replays.start(sandbox.id, body);
  }

  @Post('progress')
  @HttpCode(200)
  @ApiOperation({ summary: "The runner's report: chapter, sandbox date, counters, chart points, and at the end the report and status" })
  @ApiOkResponse({ type: ReplayDto })
  @ApiBadRequestResponse({ description: BAD_INPUT })
  @ApiNotFoundResponse({ description: NO_REPLAY })
  @ApiConflictResponse({ description: '`invalid_transition`: the replay already completed or failed' })
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
    summary: "Replay 7pay's 2019 on a new legacy-2019 sandbox, run by the api beside it; watch it with GET /v1/sandbox/replay",
  })
  @ApiAcceptedResponse({ type: StartedReplayDto })
  @ApiBadRequestResponse({ description: BAD_INPUT })
  @ApiConflictResponse({ description: '`replay_running`: a replay started here is still running' })
  @ApiServiceUnavailableResponse({ description: '`service_unavailable`: the replay runner is not built (npm run build)' })
  start(@Body() body: StartReplayBody): Promise<unknown> {
    return this.runner.start(body);
  }
}
