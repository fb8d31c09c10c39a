import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Public } from '#core';
import { CONSOLE_PATH, DOCS_PATH, OPENAPI_PATH } from './paths.js';

class ApiIndexLinks {
  @ApiProperty({ example: '/console/', description: 'The web console' }) console: string;
  @ApiProperty({ example: '/docs', description: 'The API reference (Swagger UI)' }) docs: string;
  @ApiProperty({ example: '/openapi.json', description: 'The OpenAPI document: the contract' }) openapi: string;
  @ApiProperty({ example: '/health/ready', description: 'Readiness: the database and the queues' }) health: string;
  @ApiProperty({ example: '/metrics', description: 'Prometheus metrics' }) metrics: string;
}

class ApiIndex {
  @ApiProperty({ enum: ['api_index'] }) object: 'api_index';
  @ApiProperty({ example: 'Wallet Sandbox' }) name: string;
  @ApiProperty({ type: ApiIndexLinks, description: 'Paths on this server' }) links: ApiIndexLinks;
}

/** `/v1` itself: where a person who typed the API's address finds the rest. */
@ApiTags('health')
@Controller('v1')
export class ApiIndexController {
  @Public()
  @Get()
  @ApiOkResponse({ type: ApiIndex })
  @ApiOperation({
    operationId: 'getApiIndex',
    summary: "The API's front door: links to the console, the reference, the OpenAPI document and health",
  })
  index(): ApiIndex {
    return {
      object: 'api_index',
      name: 'Wallet Sandbox',
      links: { console: `${CONSOLE_PATH}/`, docs: DOCS_PATH, openapi: OPENAPI_PATH, health: '/health/ready', metrics: '/metrics' },
    };
  }
}
