import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '#core';
import { CreateSandboxBody, CreatedSandboxDto } from './dto/sandbox.dto.js';
import { CreateSandbox, type CreatedSandbox } from './usecases/create-sandbox.js';

@ApiTags('platform')
@Controller('v1/sandboxes')
export class SandboxesController {
  constructor(private readonly createSandbox: CreateSandbox) {}

  @Post()
  @Auth('admin')
  @ApiOperation({ operationId: 'createSandbox', summary: 'Create an isolated sandbox; its keys are shown once' })
  @ApiCreatedResponse({ type: CreatedSandboxDto })
  create(@Body() body: CreateSandboxBody): Promise<CreatedSandbox> {
    return this.createSandbox.execute({
      name: body.name,
      securityProfile: body.securityProfile ?? 'hardened',
      clockStartsAt: body.clockStartsAt ? new Date(body.clockStartsAt) : undefined,
      simulatedClientIps: body.simulatedClientIps,
      stepUpAllowance: body.stepUpAllowance,
    });
  }
}
