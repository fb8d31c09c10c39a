import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { DOCS_PATH, OPENAPI_PATH } from './paths.js';

export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Wallet Sandbox')
    .setDescription(
      'A stateful sandbox of a barcode/QR prepaid payment wallet modelled on 7pay (2019). ' +
        'Errors are application/problem+json with a stable `code`; every mutating POST accepts `Idempotency-Key`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN of the platform' }, 'adminToken')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'sk_test_… of a sandbox' }, 'secretKey')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Publishable-Key', description: 'pk_test_… of a sandbox' }, 'publishableKey')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'stk_test_… of a store register' }, 'storeKey')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "A customer's access token" }, 'accessToken')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** OpenAPI at /openapi.json and Swagger UI at /docs. */
export async function mountOpenApi(app: NestFastifyApplication): Promise<void> {
  SwaggerModule.setup(DOCS_PATH.slice(1), app, buildOpenApiDocument(app), { jsonDocumentUrl: OPENAPI_PATH.slice(1) });
}
