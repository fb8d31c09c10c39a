import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, Problems } from '#core';
import { StartReplayBody, StartedReplayDto } from './dto/replay.dto.js';
import { ReplayRunner } from './replay-runner.js';

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
