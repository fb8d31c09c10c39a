import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Environment } from '#core';
import { addCommonParameters } from './contract/common-parameters.js';
import { addExamples } from './contract/examples.js';
import { toOpenApi31 } from './contract/openapi-31.js';
import { addProblemResponses } from './contract/problem-responses.js';
import { addWebhooks } from './contract/webhooks.js';
import { DOCS_PATH, OPENAPI_PATH } from './paths.js';

const DEFAULT_SERVER = 'http://localhost:3000';

/**
 * The contract: every operation with every answer it can give (problem
 * responses completed from the error catalogue), every event's payload as a
 * webhook, an example on every body, in OpenAPI 3.1.
 */
export function buildOpenApiDocument(app: NestFastifyApplication, serverUrl: string = DEFAULT_SERVER): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Wallet Sandbox')
    .setDescription(
      'A stateful sandbox of a barcode/QR prepaid payment wallet modelled on 7pay (2019). ' +
        'Errors are application/problem+json with a stable `code`; every mutating POST accepts `Idempotency-Key`. ' +
        'Any authenticated call also takes `Sandbox-Simulate: <case>`, which forces that refusal (docs/api-and-contract.md, "Simulating failures").',
    )
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/license/mit')
    .addServer(serverUrl, serverUrl === DEFAULT_SERVER ? 'npm start on this machine' : 'This sandbox')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN of the platform' }, 'adminToken')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'sk_test_… of a sandbox' }, 'secretKey')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Publishable-Key', description: 'pk_test_… of a sandbox' }, 'publishableKey')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'stk_test_… of a store register' }, 'storeKey')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "A customer's access token" }, 'accessToken')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  addProblemResponses(document);
  addCommonParameters(document);
  addWebhooks(document);
  const upgraded = toOpenApi31(document);
  addExamples(upgraded);
  return upgraded;
}

/**
 * OpenAPI at /openapi.json and Swagger UI at /docs. The server is PUBLIC_URL
 * when set, else the origin the document was fetched from, so "Try it out"
 * and generated clients reach this api.
 */
export async function mountOpenApi(app: NestFastifyApplication): Promise<void> {
  const publicUrl = app.get(Environment).PUBLIC_URL;
  const document = buildOpenApiDocument(app, publicUrl);
  SwaggerModule.setup(DOCS_PATH.slice(1), app, document, {
    jsonDocumentUrl: OPENAPI_PATH.slice(1),
    patchDocumentOnRequest: <R>(raw: R, _reply: unknown, served: OpenAPIObject) => {
      const request = raw as FastifyRequest;
      return publicUrl ? served : { ...served, servers: [{ url: `${request.protocol}://${request.host}`, description: 'This sandbox' }] };
    },
  });
}
