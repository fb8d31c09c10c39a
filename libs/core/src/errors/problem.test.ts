import { NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { expect, test } from '@jest/globals';
import { DomainError } from './domain-error.js';
import { toProblem } from './problem.js';

test('a domain error keeps its code, detail, extra fields and headers', () => {
  const problem = toProblem(new DomainError('rate_limited', 'slow down', { limit: 10 }, { 'Retry-After': '30' }));
  expect(problem).toEqual({
    status: 429,
    headers: { 'Retry-After': '30' },
    body: {
      type: 'urn:wallet-sandbox:problem:rate_limited',
      title: 'Too many requests',
      status: 429,
      code: 'rate_limited',
      detail: 'slow down',
      limit: 10,
    },
  });
});

test("an extension never replaces RFC 9457's members: the body's status is the HTTP status", () => {
  const smuggled = { status: 'completed', code: 'other' } as unknown as Record<string, never>;
  const problem = toProblem(new DomainError('invalid_transition', 'no', smuggled));
  expect(problem.body).toMatchObject({ status: 409, code: 'invalid_transition', type: 'urn:wallet-sandbox:problem:invalid_transition' });
});

test("framework errors map to the contract's codes", () => {
  expect(toProblem(new NotFoundException()).body.code).toBe('not_found');
  expect(toProblem(new PayloadTooLargeException()).body.code).toBe('payload_too_large');
  expect(toProblem(Object.assign(new Error('x'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' })).status).toBe(415);
});

test('Postgres refusing a NUL that got past the edge is bad input, not a 500', () => {
  for (const code of ['22021', '22P05']) {
    const problem = toProblem(Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code }));
    expect(problem.status).toBe(400);
    expect(problem.body).toMatchObject({ code: 'invalid_request', errors: [{ field: 'body', message: expect.any(String) }] });
  }
});

test('anything unexpected is a bare 500 that leaks nothing', () => {
  const problem = toProblem(new Error('password=hunter2 at db.ts:12'));
  expect(problem.status).toBe(500);
  expect(JSON.stringify(problem.body)).not.toContain('hunter2');
});
