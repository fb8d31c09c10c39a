import { existsSync } from 'node:fs';
import { Global, Module } from '@nestjs/common';
import { Environment, validateEnvironment } from './environment.js';

/**
 * Reads `.env` from the working directory when there is one (variables
 * already set win), then validates everything. Processes call this before
 * building anything, so a bad or missing value stops them naming it.
 */
export function loadEnvironment(): Environment {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return validateEnvironment(process.env);
}

@Global()
@Module({
  providers: [{ provide: Environment, useFactory: loadEnvironment }],
  exports: [Environment],
})
export class EnvironmentModule {}
