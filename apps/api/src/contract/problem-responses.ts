import type { OpenAPIObject } from '@nestjs/swagger';
import { ERRORS, type ErrorCode, PROBLEMS_EXTENSION } from '#core';
import { type Operation, operationsOf } from './operations.js';

const PROBLEM_CONTENT_TYPE = 'application/problem+json';
/** Every credential kind: an operation open to fewer can refuse a valid credential of another kind with 403. */
const CREDENTIAL_SCHEMES = 5;

/** application/problem+json (RFC 9457) as every refusal of the api has it. */
export const PROBLEM_SCHEMAS = {
  Problem: {
    type: 'object',
    description:
      'application/problem+json (RFC 9457). `code` is stable (never renamed); `detail` is for people. ' +
      'A refusal may add fields of its own beside these (e.g. `retryAfterSeconds`, `limit`), never under these names.',
    required: ['type', 'title', 'status', 'code', 'detail'],
    properties: {
      type: { type: 'string', description: '`urn:wallet-sandbox:problem:<code>`', examples: ['urn:wallet-sandbox:problem:not_found'] },
      title: { type: 'string', description: "The code's fixed title" },
      status: { type: 'integer', description: 'The HTTP status' },
      code: { type: 'string', description: 'Stable error code' },
      detail: { type: 'string', description: 'What happened, for people' },
      errors: { type: 'array', description: 'invalid_request: each refused field', items: { $ref: '#/components/schemas/FieldError' } },
    },
    additionalProperties: true,
  },
  FieldError: {
    type: 'object',
    required: ['field', 'message'],
    properties: {
      field: { type: 'string', examples: ['amount'] },
      message: { type: 'string', examples: ['must be a whole number of yen from 1 to 500000'] },
    },
    additionalProperties: false,
  },
} as const;

/**
 * The refusals every call of an operation's kind can get, whatever its own
 * rules: a credential missing or of the wrong kind, a malformed parameter or
 * body, an unknown id, an Idempotency-Key reused. `Sandbox-Simulate` and
 * `Sandbox-Client-Ip` belong here too: any authenticated call reads them.
 */
export function implicitProblems(method: string, path: string, operation: Operation): ErrorCode[] {
  const codes: ErrorCode[] = [];
  const schemes = new Set((operation.security ?? []).flatMap((requirement) => Object.keys(requirement)));
  const authenticated = schemes.size > 0;
  if (authenticated) codes.push('unauthenticated', 'unknown_simulation', 'invalid_client_ip');
  if (authenticated && schemes.size < CREDENTIAL_SCHEMES) codes.push('forbidden');
  // Any call: a NUL in its query or path is refused before routing goes further.
  codes.push('invalid_request');
  if (path.includes('{')) codes.push('not_found');
  if (method === 'post') {
    codes.push('payload_too_large', 'unsupported_media_type');
    if (authenticated) codes.push('idempotency_in_progress', 'idempotency_key_reused');
  }
  return codes;
}

/** Statuses whose refusals say when to try again. */
const RETRY_AFTER_STATUSES = new Set([429, 503]);

const RETRY_AFTER_HEADER = {
  'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } },
};

/** One response per status, listing each code possible there, its schema and an example of each. */
function problemResponse(status: number, codes: ErrorCode[]) {
  return {
    description: codes.map((code) => `\`${code}\`: ${ERRORS[code].title}`).join('; '),
    ...(RETRY_AFTER_STATUSES.has(status) ? { headers: RETRY_AFTER_HEADER } : {}),
    content: {
      [PROBLEM_CONTENT_TYPE]: {
        schema: {
          allOf: [
            { $ref: '#/components/schemas/Problem' },
            { type: 'object', properties: { status: { const: status }, code: { enum: codes } } },
          ],
        },
        examples: Object.fromEntries(
          codes.map((code) => [
            code,
            {
              summary: ERRORS[code].title,
              value: { type: `urn:wallet-sandbox:problem:${code}`, title: ERRORS[code].title, status, code, detail: ERRORS[code].title },
            },
          ]),
        ),
      },
    },
  };
}

/** Replaces each operation's error responses with the complete set: its own refusals and those of its kind. */
export function addProblemResponses(document: OpenAPIObject): void {
  Object.assign(((document.components ??= {}).schemas ??= {}), PROBLEM_SCHEMAS);
  for (const { method, path, operation } of operationsOf(document)) {
    const extensions = operation as unknown as Record<string, unknown>;
    const own = (extensions[PROBLEMS_EXTENSION] as ErrorCode[] | undefined) ?? [];
    delete extensions[PROBLEMS_EXTENSION];
    const unknown = own.filter((code) => !Object.hasOwn(ERRORS, code));
    if (unknown.length > 0) throw new Error(`${method.toUpperCase()} ${path} lists unknown problem codes: ${unknown.join(', ')}`);
    const byStatus = new Map<number, ErrorCode[]>();
    for (const code of new Set([...implicitProblems(method, path, operation), ...own])) {
      const status = ERRORS[code].status;
      byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
    }
    for (const status of Object.keys(operation.responses)) if (Number(status) >= 400) delete operation.responses[status];
    for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
      // OpenAPI 3.1 schema keywords (`const`), which @nestjs/swagger's 3.0 types do not know.
      operation.responses[String(status)] = problemResponse(status, codes) as never;
    }
  }
}
