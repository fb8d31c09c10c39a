import { describe, expect, test } from '@jest/globals';
import { newIdentity } from '../support/customers.js';
import { type SandboxKeys, useHarness } from '../support/harness.js';

const h = useHarness();

async function legacySandbox(simulatedClientIps: boolean): Promise<SandboxKeys> {
  const reply = await h.post(
    '/v1/sandboxes',
    { name: 'replay', securityProfile: 'legacy-2019', simulatedClientIps },
    { token: h.adminToken },
  );
  expect(reply.status).toBe(201);
  expect(reply.body.simulatedClientIps).toBe(simulatedClientIps);
  return reply.body;
}

/** Registers and signs in from `ip` (as Sandbox-Client-Ip); the IP the sandbox recorded for the session. */
async function sessionIp(sandbox: SandboxKeys, ip: string): Promise<string> {
  const who = newIdentity();
  const headers = { 'x-publishable-key': sandbox.publishableKey, 'sandbox-client-ip': ip };
  expect((await h.post('/v1/auth/register', { email: who.email, password: who.password, phone: who.phone }, { headers })).status).toBe(201);
  const login = await h.post('/v1/auth/login', { email: who.email, password: who.password, deviceId: who.deviceId }, { headers });
  expect(login.status).toBe(200);
  const sessions = await h.get('/v1/auth/sessions', { token: login.body.accessToken });
  return sessions.body.data[0].ip;
}

describe('simulated client IPs', () => {
  test('a sandbox created with simulatedClientIps takes the client from Sandbox-Client-Ip; others ignore it', async () => {
    const simulated = await legacySandbox(true);
    expect(await sessionIp(simulated, '126.10.20.30')).toBe('126.10.20.30');
    expect((await h.get('/v1/sandbox', { token: simulated.secretKey })).body.simulatedClientIps).toBe(true);

    const ordinary = await legacySandbox(false);
    expect(await sessionIp(ordinary, '126.10.20.30')).toBe('127.0.0.1');
  });

  test('a Sandbox-Client-Ip that is not an address is refused with 400 invalid_client_ip, and nothing is registered', async () => {
    const simulated = await legacySandbox(true);
    const who = newIdentity();
    for (const ip of ['not-an-ip', '999.1.1.1', '10.0.0.1, 10.0.0.2', '']) {
      const reply = await h.post(
        '/v1/auth/register',
        { email: who.email, password: who.password, phone: who.phone },
        { headers: { 'x-publishable-key': simulated.publishableKey, 'sandbox-client-ip': ip } },
      );
      expect({ ip, status: reply.status, code: reply.body.code }).toEqual({ ip, status: 400, code: 'invalid_client_ip' });
    }
    const login = await h.post(
      '/v1/auth/login',
      { email: who.email, password: who.password, deviceId: who.deviceId },
      { headers: { 'x-publishable-key': simulated.publishableKey } },
    );
    expect(login.status).toBe(401);
  });

  test('simulatedClientIps must be a boolean', async () => {
    const reply = await h.post('/v1/sandboxes', { name: 'x', simulatedClientIps: 'yes' }, { token: h.adminToken });
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('invalid_request');
  });
});

const counters = { signUps: 40, victims: 3, damage: 45_000, refundsPaid: 0, unclaimed: 380_000 };
const row = { figure: 'fraud victims', report: '3', ledger: null, replay: '3', ok: true };

describe('the replay record', () => {
  test('reads 404 no_replay until a replay is recorded, then follows its progress to the end', async () => {
    const sandbox = await legacySandbox(true);
    const auth = { token: sandbox.secretKey };
    const none = await h.get('/v1/sandbox/replay', auth);
    expect(none.status).toBe(404);
    expect(none.body.code).toBe('no_replay');
    expect((await h.post('/v1/sandbox/replay/progress', { status: 'running' }, auth)).body.code).toBe('no_replay');

    const opened = await h.post('/v1/sandbox/replay', { customers: 40, seed: 7, pace: 'fast' }, auth);
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ sandboxId: sandbox.id, status: 'running', customers: 40, seed: 7, pace: 'fast', report: null });
    expect(opened.body.counters).toEqual({ signUps: 0, victims: 0, damage: 0, refundsPaid: 0, unclaimed: 0 });
    const again = await h.post('/v1/sandbox/replay', { customers: 40, seed: 7, pace: 'fast' }, auth);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('replay_exists');

    const point = { at: '2019-07-02T10:00:00.000Z', damage: 45_000, refundsPaid: 0, unclaimed: 380_000 };
    const moved = await h.post(
      '/v1/sandbox/replay/progress',
      { status: 'running', chapter: '07-02 Stuffing wave 1', sandboxAt: point.at, counters, points: [point] },
      auth,
    );
    expect(moved.status).toBe(200);
    await h.post('/v1/sandbox/replay/progress', { status: 'running', points: [{ ...point, at: '2019-07-03T10:00:00.000Z' }] }, auth);
    const read = await h.get('/v1/sandbox/replay', auth);
    expect(read.body).toMatchObject({ chapter: '07-02 Stuffing wave 1', sandboxAt: point.at, counters, status: 'running' });
    expect(read.body.points.map((p: { at: string }) => p.at)).toEqual([point.at, '2019-07-03T10:00:00.000Z']);

    // A source the runner has no figure from may be left out: it reads as null.
    const partial = { figure: 'refunds paid', report: '0', replay: '0', ok: true };
    const done = await h.post('/v1/sandbox/replay/progress', { status: 'completed', report: [row, partial] }, auth);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', finishedAt: expect.any(String) });
    expect(done.body.report).toEqual([row, { ...partial, ledger: null }]);
    const late = await h.post('/v1/sandbox/replay/progress', { status: 'running' }, auth);
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'invalid_transition', status: 409, replayStatus: 'completed' });
    expect((await h.get('/v1/sandbox/replay', auth)).body.status).toBe('completed');

    // A finished replay is replaced by the next one.
    expect((await h.post('/v1/sandbox/replay', { customers: 20, seed: 1, pace: 'presenter' }, auth)).status).toBe(201);
  });

  test('a running replay silent for 60 s reads as lost, and a new one may take its place', async () => {
    const sandbox = await legacySandbox(true);
    const auth = { token: sandbox.secretKey };
    await h.post('/v1/sandbox/replay', { customers: 40, seed: 7, pace: 'fast' }, auth);
    await h.db.rows(`UPDATE sandbox_replays SET heartbeat_at = now() - interval '61 seconds' WHERE sandbox_id = $1`, [sandbox.id]);
    expect((await h.get('/v1/sandbox/replay', auth)).body.status).toBe('lost');
    expect((await h.post('/v1/sandbox/replay', { customers: 40, seed: 8, pace: 'fast' }, auth)).status).toBe(201);
    expect((await h.get('/v1/sandbox/replay', auth)).body).toMatchObject({ status: 'running', seed: 8 });
  });

  test('bad input is refused with 400 invalid_request and changes nothing', async () => {
    const sandbox = await legacySandbox(true);
    const auth = { token: sandbox.secretKey };
    for (const body of [
      {},
      { customers: 19, seed: 1, pace: 'fast' },
      { customers: 40, seed: -1, pace: 'fast' },
      { customers: 40, seed: 1, pace: 'slow' },
      { customers: '40', seed: 1, pace: 'fast' },
      { customers: 40, seed: 1, pace: 'fast', extra: true },
    ]) {
      const reply = await h.post('/v1/sandbox/replay', body, auth);
      expect({ body, status: reply.status, code: reply.body.code }).toEqual({ body, status: 400, code: 'invalid_request' });
    }
    expect((await h.get('/v1/sandbox/replay', auth)).status).toBe(404);

    await h.post('/v1/sandbox/replay', { customers: 40, seed: 7, pace: 'fast' }, auth);
    for (const body of [
      {},
      { status: 'lost' },
      { status: 'running', counters: { ...counters, damage: -1 } },
      { status: 'running', counters: { signUps: 1 } },
      { status: 'running', points: [{ at: 'yesterday', damage: 0, refundsPaid: 0, unclaimed: 0 }] },
      { status: 'running', report: [{ ...row, ok: 'yes' }] },
      { status: 'running', sandboxAt: 'soon' },
    ]) {
      const reply = await h.post('/v1/sandbox/replay/progress', body, auth);
      expect({ body, status: reply.status, code: reply.body.code }).toEqual({ body, status: 400, code: 'invalid_request' });
    }
    const read = await h.get('/v1/sandbox/replay', auth);
    expect(read.body).toMatchObject({ status: 'running', chapter: null, points: [] });
  });

  test('only the secret key reads or writes the record; a reset wipes it', async () => {
    const sandbox = await legacySandbox(true);
    expect((await h.get('/v1/sandbox/replay', { headers: { 'x-publishable-key': sandbox.publishableKey } })).status).toBe(401);
    expect((await h.get('/v1/sandbox/replay', { token: h.adminToken })).status).toBe(403);
    await h.post('/v1/sandbox/replay', { customers: 40, seed: 7, pace: 'fast' }, { token: sandbox.secretKey });
    expect((await h.post('/v1/sandbox/reset', undefined, { token: sandbox.secretKey })).status).toBe(200);
    expect((await h.get('/v1/sandbox/replay', { token: sandbox.secretKey })).status).toBe(404);
  });
});

describe('POST /v1/replays', () => {
  test('refuses bad input with 400 before anything is made', async () => {
    const sandbox = await legacySandbox(false);
    const [{ n: before }] = await h.db.rows<{ n: number }>(`SELECT count(*)::int AS n FROM sandboxes`);
    for (const body of [
      {},
      { customers: 19, pace: 'fast' },
      { customers: 601, pace: 'fast' },
      { customers: 100, pace: 'slow' },
      { customers: 100, pace: 'fast', seed: 2 ** 31 + 1 },
      { customers: 100.5, pace: 'fast' },
    ]) {
      const reply = await h.post('/v1/replays', body, { token: sandbox.secretKey });
      expect({ body, status: reply.status, code: reply.body.code }).toEqual({ body, status: 400, code: 'invalid_request' });
    }
    const [{ n: after }] = await h.db.rows<{ n: number }>(`SELECT count(*)::int AS n FROM sandboxes`);
    expect(after).toBe(before);
  });

  test('answers 503 service_unavailable when the runner is not built beside the api (here: the sources)', async () => {
    const sandbox = await legacySandbox(false);
    const reply = await h.post('/v1/replays', { customers: 40, pace: 'fast' }, { token: sandbox.secretKey });
    expect(reply.status).toBe(503);
    expect(reply.body.code).toBe('service_unavailable');
  });

  test('takes a secret key or the admin token, not a publishable key', async () => {
    const sandbox = await legacySandbox(false);
    const reply = await h.post(
      '/v1/replays',
      { customers: 40, pace: 'fast' },
      { headers: { 'x-publishable-key': sandbox.publishableKey } },
    );
    expect(reply.status).toBe(401);
  });
});
