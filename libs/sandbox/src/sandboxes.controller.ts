import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, NoBody } from '#core';
import { CreateSandboxBody, CreatedSandboxDto, IssuedSandboxKeyDto } from './dto/sandbox.dto.js';
import { CreateSandbox, type CreatedSandbox } from './usecases/create-sandbox.js';
import { type IssuedSandboxKey, IssueSandboxKey } from './usecases/issue-sandbox-key.js';

@ApiTags('platform')
@Controller('v1/sandboxes')
export class SandboxesController {
  constructor(
    private readonly createSandbox: CreateSandbox,
    private readonly issueSandboxKey: IssueSandboxKey,
  ) {}

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

  @Post(':id/secret-keys')
  @Auth('admin')
  @NoBody()
  @ApiOperation({
    operationId: 'createSandboxSecretKey',
    summary: "Another secret key for a sandbox (shown once), for an operator who lost theirs; the sandbox's other keys stay until revoked",
  })
  @ApiCreatedResponse({ type: IssuedSandboxKeyDto })
  issueSecretKey(@Param('id') id: string): Promise<IssuedSandboxKey> {
    return this.issueSandboxKey.execute(id, 'secret');
  }
}
