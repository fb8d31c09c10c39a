import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { Auth, CurrentSandbox, DomainError, type FieldError, type SandboxContext } from '#core';
import { FraudSettingsBody, FraudSettingsDto, RulePatch } from './dto/fraud.dto.js';
import { type FraudSettings, RULE_IDS, type RuleId, isCidr } from './rules.js';
import { FraudSettingsStore } from './settings.js';
import { UpdateFraudSettings } from './usecases/update-fraud-settings.js';

@ApiTags('fraud review')
@Auth('secret')
@Controller('v1')
export class FraudSettingsController {
  constructor(
    private readonly settings: FraudSettingsStore,
    private readonly updateSettings: UpdateFraudSettings,
  ) {}

  @Get('fraud/settings')
  @ApiOperation({ operationId: 'getFraudSettings', summary: "The sandbox's fraud rules, thresholds and hold policy" })
  @ApiOkResponse({ type: FraudSettingsDto })
  get(@CurrentSandbox() sandbox: SandboxContext): Promise<FraudSettings> {
    return this.settings.get(sandbox.id);
  }

  @Post('fraud/settings')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'updateFraudSettings',
    summary: 'Tune rules (on/off, score, threshold, window), thresholds and the hold policy for this sandbox',
  })
  @ApiOkResponse({ type: FraudSettingsDto })
  update(@CurrentSandbox() sandbox: SandboxContext, @Body() body: FraudSettingsBody): Promise<FraudSettings> {
    const problems: FieldError[] = [];
    for (const [id, patch] of Object.entries(body.rules ?? {})) {
      if (!RULE_IDS.includes(id as RuleId)) problems.push({ field: `rules.${id}`, message: 'is not a rule' });
      else if (patch === null || typeof patch !== 'object') problems.push({ field: `rules.${id}`, message: 'must be an object' });
      else {
        for (const error of validateSync(plainToInstance(RulePatch, patch), { whitelist: true, forbidNonWhitelisted: true })) {
          problems.push({ field: `rules.${id}.${error.property}`, message: Object.values(error.constraints ?? {}).join('; ') });
        }
      }
    }
    for (const [index, network] of (body.domesticNetworks ?? []).entries()) {
      if (!isCidr(network))
        problems.push({ field: `domesticNetworks[${index}]`, message: `'${network}' is not a CIDR such as 133.0.0.0/8` });
    }
    if (problems.length > 0) throw DomainError.invalid(problems);
    return this.updateSettings.update(sandbox.id, body as never);
  }
}
