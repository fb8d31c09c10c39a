import { describe, expect, test } from '@jest/globals';
import { Controller, Get, Post } from '@nestjs/common';
import { DECORATORS, type OpenAPIObject } from '@nestjs/swagger';
import { PROBLEMS_EXTENSION, Problems } from '#core';
import { toOpenApi31 } from './openapi-31.js';
import { addProblemResponses, implicitProblems } from './problem-responses.js';

const documentWith = (operation: object): OpenAPIObject =>
  ({ openapi: '3.0.0', info: { title: 't', version: '1' }, paths: { '/v1/payments/{id}/capture': { post: operation } } }) as never;

describe('the contract', () => {
  test('@Problems adds up on a method and over a controller, each code once', () => {
    @Problems('service_suspended')
    @Controller('x')
    class Payments {
      @Post()
      @Problems('code_used', 'wallet_on_hold')
      @Problems('code_used', 'limit_exceeded')
      capture() {}

      @Get()
      read() {}
    }
    const listed = (handler: object) =>
      (Reflect.getMetadata(DECORATORS.API_EXTENSION, handler) as Record<string, string[]>)[PROBLEMS_EXTENSION];
    expect(new Set(listed(Payments.prototype.capture))).toEqual(
      new Set(['code_used', 'limit_exceeded', 'wallet_on_hold', 'service_suspended']),
    );
    expect(listed(Payments.prototype.read)).toEqual(['service_suspended']);
  });

  test('refusals of the kind come with the credential, the parameters, the body and the method', () => {
    const secretPost = { security: [{ secretKey: [] }], parameters: [{ name: 'id', in: 'path' }], responses: {} };
    expect(new Set(implicitProblems('post', '/v1/payments/{id}/capture', secretPost as never))).toEqual(
      new Set([
        'unauthenticated',
        'unknown_simulation',
        'invalid_client_ip',
        'forbidden',
        'invalid_request',
        'not_found',
        'payload_too_large',
        'unsupported_media_type',
        'idempotency_in_progress',
        'idempotency_key_reused',
      ]),
    );
    expect(implicitProblems('get', '/v1', { responses: {} } as never)).toEqual([]);
  });

  test("an operation's responses list each status once, with every code possible there and an example of each", () => {
    const document = documentWith({
      security: [{ storeKey: [] }],
      parameters: [{ name: 'id', in: 'path' }],
      responses: { '200': { description: 'ok' }, '409': { description: 'hand-written, replaced' } },
      [PROBLEMS_EXTENSION]: ['code_used', 'invalid_payment_state', 'insufficient_balance'],
    });
    addProblemResponses(document);
    const responses = document.paths['/v1/payments/{id}/capture'].post!.responses as Record<string, any>;
    expect(Object.keys(responses)).toEqual(['200', '400', '401', '402', '403', '404', '409', '413', '415', '422']);
    const conflict = responses['409'].content['application/problem+json'];
    expect(conflict.schema.allOf[1].properties).toEqual({
      status: { const: 409 },
      code: { enum: ['idempotency_in_progress', 'code_used', 'invalid_payment_state'] },
    });
    expect(Object.keys(conflict.examples)).toEqual(['idempotency_in_progress', 'code_used', 'invalid_payment_state']);
    expect(conflict.examples.code_used.value).toMatchObject({
      status: 409,
      code: 'code_used',
      type: 'urn:wallet-sandbox:problem:code_used',
    });
    expect(document.paths['/v1/payments/{id}/capture'].post).not.toHaveProperty(PROBLEMS_EXTENSION);
  });

  test('an unknown code is refused when the document is built, not shipped', () => {
    const document = documentWith({ responses: {}, [PROBLEMS_EXTENSION]: ['no_such_code'] });
    expect(() => addProblemResponses(document)).toThrow(/unknown problem codes: no_such_code/);
  });

  test('3.0 nullable becomes a JSON Schema 2020-12 type that admits null', () => {
    const upgraded = toOpenApi31({
      openapi: '3.0.0',
      components: {
        schemas: {
          A: {
            properties: {
              name: { type: 'string', nullable: true },
              phase: { type: 'string', enum: ['open', 'closed'], nullable: true },
              link: { $ref: '#/components/schemas/B', nullable: true, description: 'why' },
              plain: { type: 'integer', nullable: false },
              nested: { type: 'object', nullable: true, allOf: [{ $ref: '#/components/schemas/B' }] },
            },
          },
        },
      },
    } as never) as any;
    expect(upgraded.openapi).toBe('3.1.0');
    expect(upgraded.components.schemas.A.properties).toEqual({
      name: { type: ['string', 'null'] },
      phase: { type: ['string', 'null'], enum: ['open', 'closed', null] },
      link: { description: 'why', anyOf: [{ $ref: '#/components/schemas/B' }, { type: 'null' }] },
      plain: { type: 'integer' },
      nested: { anyOf: [{ allOf: [{ $ref: '#/components/schemas/B' }] }, { type: 'null' }] },
    });
  });
});
