import { HttpException } from '@nestjs/common';
import { DomainError, ERRORS, type ErrorCode } from './domain-error.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  status: number;
  body: { type: string; title: string; status: number; code: string; detail: string } & Record<string, unknown>;
  headers: Record<string, string>;
}

export function problemOf(
  code: ErrorCode,
  detail: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Problem {
  const { status, title } = ERRORS[code];
  return {
    status,
    // RFC 9457's members last: an extension can never stand in for the HTTP status, the code or the type.
    body: { ...extra, type: `urn:wallet-sandbox:problem:${code}`, title, status, code, detail },
    headers,
  };
}

const BY_STATUS: Record<number, ErrorCode> = {
  400: 'invalid_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'service_unavailable',
};

const NUL_REFUSED = {
  code: 'invalid_request',
  detail: 'The request holds a character that cannot be stored, such as NUL (\\u0000)',
} as const;

/**
 * Fastify's own request errors (parsing, limits), which Nest hands over
 * wrapped in an HttpException, and Postgres refusing a NUL in text or jsonb:
 * the edge refuses NUL first, so these two are the last line, never a 500.
 */
const INPUT_ERRORS: Record<string, { code: ErrorCode; detail: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'invalid_request', detail: 'The body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'invalid_request', detail: 'The body is empty; send a JSON object' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large', detail: 'The body exceeds the size limit' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type', detail: 'Send the body as application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'invalid_request', detail: 'Content-Length does not match the body' },
  FST_ERR_BAD_URL: { code: 'invalid_request', detail: 'The URL is malformed' },
  // A path parameter longer than any id this API issues.
  FST_ERR_MAX_PARAM_LENGTH: { code: 'not_found', detail: 'No such resource' },
  '22021': NUL_REFUSED,
  '22P05': NUL_REFUSED,
};

/** Maps anything thrown while serving a request to problem+json. Unknown errors become a bare 500. */
export function toProblem(error: unknown): Problem {
  if (error instanceof DomainError) return problemOf(error.code, error.message, error.extra, error.headers);
  const raw = error as { code?: unknown; cause?: { code?: unknown } };
  const inputCode = raw?.cause?.code ?? raw?.code;
  if (typeof inputCode === 'string' && INPUT_ERRORS[inputCode]) {
    const known = INPUT_ERRORS[inputCode];
    const extra = known.code === 'invalid_request' ? { errors: [{ field: 'body', message: known.detail }] } : {};
    return problemOf(known.code, known.detail, extra);
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = BY_STATUS[status];
    if (status === 503) return problemOf('service_unavailable', 'Not ready', { health: error.getResponse() });
    if (code) return problemOf(code, status === 404 ? 'No such resource or route' : error.message);
  }
  const status = (error as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && BY_STATUS[status]) return problemOf(BY_STATUS[status], ERRORS[BY_STATUS[status]].title);
  return problemOf('internal_error', 'An unexpected error occurred; it has been logged');
}
