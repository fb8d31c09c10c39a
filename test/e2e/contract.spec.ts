import { describe, expect, test } from '@jest/globals';
import { ERRORS } from '#core';
import { useHarness } from '../support/harness.js';

const h = useHarness({ worker: false });

const json = (body: unknown) => ({ text: JSON.stringify(body), body, headers: new Headers({ 'content-type': 'application/json' }) });

describe('the OpenAPI document as a contract', () => {
  test('every operation has a readable id, a summary, a success answer and the problem answers of its codes', () => {
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(h.contract!.document.paths)) {
      for (const [method, operation] of Object.entries(item as Record<string, any>)) {
        expect({ path, method, id: operation.operationId }).toEqual({ path, method, id: expect.stringMatching(/^[a-z][A-Za-z0-9]+$/) });
        expect(ids.has(operation.operationId)).toBe(false);
        ids.add(operation.operationId);
        expect(operation.summary).toEqual(expect.any(String));
        const statuses = Object.keys(operation.responses);
        expect({ path, method, success: statuses.some((s) => s.startsWith('2')) }).toEqual({ path, method, success: true });
        for (const status of statuses.filter((s) => Number(s) >= 400)) {
          const media = operation.responses[status].content['application/problem+json'];
          for (const code of media.schema.allOf[1].properties.code.enum) {
            expect({ path, method, code, status: ERRORS[code as keyof typeof ERRORS].status }).toEqual({
              path,
              method,
              code,
              status: Number(status),
            });
            expect(media.examples[code].value.code).toBe(code);
          }
        }
      }
    }
    expect(ids.size).toBeGreaterThan(100);
  });

  test('a capture documents the refusals a register meets', () => {
    const responses = h.contract!.document.paths['/v1/payments']!.post!.responses as Record<string, any>;
    const codes = Object.values(responses).flatMap(
      (r) => r.content?.['application/problem+json']?.schema.allOf[1].properties.code.enum ?? [],
    );
    expect(codes).toEqual(
      expect.arrayContaining(['code_used', 'code_expired', 'code_invalid', 'insufficient_balance', 'wallet_on_hold', 'unauthenticated']),
    );
  });

  test('a reply that departs from the document is caught: status, media type, body', () => {
    const contract = h.contract!;
    const at = { method: 'GET', path: '/v1/sandbox/clock' };
    expect(contract.check({ ...at, status: 200, ...json({ now: new Date().toISOString(), offsetSeconds: 0 }) })).toEqual([]);
    expect(contract.check({ ...at, status: 200, ...json({ now: new Date().toISOString() }) })).toEqual([
      expect.stringContaining("must have required property 'offsetSeconds'"),
    ]);
    expect(contract.check({ ...at, status: 418, ...json({}) })).toEqual([expect.stringContaining('the status is not documented')]);
    expect(contract.check({ ...at, status: 200, text: 'hi', body: 'hi', headers: new Headers({ 'content-type': 'text/plain' }) })).toEqual([
      expect.stringContaining('the media type text/plain is not documented'),
    ]);
    const problem = { type: 'urn:wallet-sandbox:problem:not_found', title: 't', status: 401, code: 'not_found', detail: 'd' };
    const asProblem = { ...json(problem), headers: new Headers({ 'content-type': 'application/problem+json' }) };
    expect(contract.check({ ...at, status: 401, ...asProblem })).toEqual([
      expect.stringContaining('must be equal to one of the allowed values'),
    ]);
    // Paths the document does not describe (the console, metrics) are not its business.
    expect(contract.check({ method: 'GET', path: '/metrics', status: 200, text: 'x', body: 'x', headers: new Headers() })).toEqual([]);
  });

  test('a live refusal and a live answer keep to it, through the same check every e2e request gets', async () => {
    const sandbox = await h.createSandbox();
    const refused = await h.get('/v1/sandbox/clock', { token: 'sk_test_unknown' });
    expect(refused.status).toBe(401);
    const clock = await h.get('/v1/sandbox/clock', { token: sandbox.secretKey });
    expect(clock.status).toBe(200);
    expect(h.contract!.check({ method: 'GET', path: '/v1/sandbox/clock', ...clock })).toEqual([]);
  });

  test('every event type has a webhook whose payload schema is exact', () => {
    expect(h.contract!.checkEvent('wallet.funded', { walletId: 'wal_1', amount: 100, transferId: 'trf_1', balance: 100 })).toEqual([]);
    expect(h.contract!.checkEvent('wallet.funded', { walletId: 'wal_1', amount: 100 })).not.toEqual([]);
    expect(
      h.contract!.checkEvent('wallet.funded', { walletId: 'wal_1', amount: 100, transferId: 'trf_1', balance: 100, extra: 1 }),
    ).not.toEqual([]);
  });
});
