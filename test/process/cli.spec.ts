import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { resolveReferences } from '../../packages/cli/src/commands/fixtures.js';
import { sign } from '../../libs/webhooks/src/signature.js';
import { type Run, startCli, waitFor } from '../support/cli.js';
import { type SandboxKeys, useHarness } from '../support/harness.js';
import { Receiver } from '../support/receiver.js';

/** The built `wallet-sandbox` against the test api; every key is passed, so no local file is read. */
const h = useHarness();
const scratch = mkdtempSync(join(tmpdir(), 'wallet-sandbox-cli-'));
const start = (args: string[]) => startCli(h.url, args);
const run = (...args: string[]): Promise<Run> => start(args).done;

let sandbox: SandboxKeys;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await Receiver.start();
  const created = await run('--admin-token', h.adminToken, 'sandbox', 'create', '--name', 'cli-test', '--json');
  expect(created.code).toBe(0);
  sandbox = JSON.parse(created.stdout);
});
afterAll(async () => {
  await receiver.close();
});

describe('wallet-sandbox', () => {
  test('--help answers in well under a second: nothing is built and no command module is loaded', async () => {
    const help = await startCli(null, ['--help']).done;
    process.stdout.write(`wallet-sandbox --help took ${help.ms} ms\n`);
    expect(help).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: wallet-sandbox') });
    expect(help.ms).toBeLessThan(1_500);
  });

  test('sandbox create makes a sandbox whose keys work; clock advance moves its time', async () => {
    expect(sandbox).toMatchObject({
      id: expect.stringMatching(/^sbx_/),
      securityProfile: 'hardened',
      secretKey: expect.stringMatching(/^sk_test_/),
    });
    const advanced = await run('--secret-key', sandbox.secretKey, 'clock', 'advance', '3d');
    expect(advanced).toMatchObject({ code: 0, stdout: expect.stringContaining('(+259200 s)') });
    expect((await h.get('/v1/sandbox/clock', { token: sandbox.secretKey })).body.offsetSeconds).toBe(259_200);
    expect((await run('--secret-key', sandbox.secretKey, 'clock')).stdout).toContain('259200 s ahead of real time');

    const refused = await run('--secret-key', sandbox.secretKey, 'clock', 'advance', 'soon');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('must be a duration');
    const unauthenticated = await run('--secret-key', 'sk_test_' + 'x'.repeat(32), 'clock');
    expect(unauthenticated).toMatchObject({ code: 1, stderr: expect.stringContaining('401 unauthenticated') });
  });

  test('keys lists the keys; keys roll shows the new key once and the old one stops; keys revoke stops one now', async () => {
    const own = await h.createSandbox();
    const as = ['--secret-key', own.secretKey];
    const listed = JSON.parse((await run(...as, 'keys', '--json')).stdout) as { data: Array<{ id: string; kind: string }> };
    const id = (kind: string) => listed.data.find((key) => key.kind === kind)!.id;
    expect((await run(...as, 'keys')).stdout).toContain(id('publishable'));

    const rolled = await run(...as, 'keys', 'roll', id('secret'), '--expire-in', '1h');
    expect(rolled).toMatchObject({ code: 0, stdout: expect.stringMatching(/New secret key key_\w+: sk_test_[0-9A-Za-z]{32}/) });
    const newKey = rolled.stdout.match(/sk_test_[0-9A-Za-z]{32}/)![0];
    // In its grace hour the old key still works; revoked, it stops.
    expect((await h.get('/v1/sandbox/clock', { token: own.secretKey })).status).toBe(200);
    const revoked = await run('--secret-key', newKey, 'keys', 'revoke', id('secret'));
    expect(revoked).toMatchObject({ code: 0, stdout: expect.stringContaining('stopped at') });
    expect((await h.get('/v1/sandbox/clock', { token: own.secretKey })).status).toBe(401);
    expect((await h.get('/v1/sandbox/clock', { token: newKey })).status).toBe(200);

    const refused = await run('--secret-key', newKey, 'keys', 'roll', 'key_nope');
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('404 not_found') });
  });

  test('seed registers customers with funded wallets and opens stores with register keys', async () => {
    const keys = ['--secret-key', sandbox.secretKey, '--publishable-key', sandbox.publishableKey];
    const seeded = await run(...keys, 'seed', '--users', '2', '--stores', '1', '--balance', '5000', '--json');
    expect(seeded.code).toBe(0);
    const { users, stores } = JSON.parse(seeded.stdout);
    expect(users).toHaveLength(2);
    for (const user of users) {
      expect((await h.get(`/v1/sandbox/wallets/${user.walletId}`, { token: sandbox.secretKey })).body).toMatchObject({ balance: 5_000 });
    }
    expect(stores).toEqual([
      { id: expect.stringMatching(/^str_/), name: '7-Eleven Ginza 1-chome', apiKey: expect.stringMatching(/^stk_test_/) },
    ]);
    const opened = (await h.get('/v1/stores?limit=100', { token: sandbox.secretKey })).body.data;
    expect(opened.map((store: any) => store.id)).toContain(stores[0].id);
  });

  test('seed refused part way prints what it made before the refusal, and the refusal', async () => {
    const keys = ['--secret-key', sandbox.secretKey, '--publishable-key', sandbox.publishableKey];
    // ¥20 billion is more than one funding may credit: the first customer is registered, then funding is refused.
    const seeded = await run(...keys, 'seed', '--users', '3', '--stores', '1', '--balance', '20000000000');
    expect(seeded.code).toBe(1);
    expect(seeded.stderr).toContain('seeding stopped: 400 invalid_request');
    const printed = seeded.stdout.match(/^ {2}(demo-\S+) {2}password (\S+) {2}phone \S+ {2}wallet wal_\S+ {2}¥0$/gm) ?? [];
    expect(printed).toHaveLength(1);
    expect(seeded.stdout).toMatch(/^1 customers:\n/);
    const [, email, password] = /^ {2}(\S+) {2}password (\S+)/.exec(printed[0] ?? '')!;
    // The customer printed can sign in with the password printed.
    const login = await h.post(
      '/v1/auth/login',
      { email, password, deviceId: randomUUID() },
      { headers: { 'x-publishable-key': sandbox.publishableKey } },
    );
    expect([200, 202]).toContain(login.status);
  });

  test('webhooks verify accepts a delivery as received and refuses a tampered body or a stale signature', async () => {
    const hook = await h.post(
      '/v1/webhook-endpoints',
      { url: `${receiver.url}/cli`, events: ['wallet.created'] },
      { token: sandbox.secretKey },
    );
    await h.createWallet(sandbox);
    await h.drain();
    const [delivery] = receiver.at('/cli');
    const body = join(scratch, 'body.json');
    writeFileSync(body, delivery.body);
    const header = String(delivery.headers['wallet-signature']);
    const verify = (file: string, signature: string) =>
      run('webhooks', 'verify', file, '--signature', signature, '--secret', hook.body.secret);

    expect(await verify(body, header)).toMatchObject({ code: 0, stdout: expect.stringMatching(/^valid: signed at \d{4}-/) });
    const tampered = join(scratch, 'tampered.json');
    writeFileSync(tampered, delivery.body.replace('wallet.created', 'wallet.funded'));
    expect(await verify(tampered, header)).toMatchObject({ code: 1, stdout: 'invalid: no_matching_signature\n' });
    const old = Math.floor(Date.now() / 1000) - 3_600;
    expect(await verify(body, `t=${old},v1=${sign(hook.body.secret, old, delivery.body)}`)).toMatchObject({
      code: 1,
      stdout: 'invalid: timestamp_outside_tolerance\n',
    });
  });

  test('events tail prints the recent events, then each new one as it happens', async () => {
    const tail = start(['--secret-key', sandbox.secretKey, 'events', 'tail', '--last', '1', '--interval', '100']);
    await waitFor(() => tail.output().split('\n').length > 1);
    expect(tail.output().split('\n').filter(Boolean)).toHaveLength(1);
    const wallet = await h.createWallet(sandbox, 1_500);
    await waitFor(() => tail.output().includes('wallet.funded'));
    tail.child.kill('SIGTERM');
    const { code, stdout } = await tail.done;
    expect(code).toBe(0);
    const lines = stdout.split('\n').filter(Boolean);
    expect(lines.slice(1).map((line) => line.split(/\s+/)[1])).toEqual(['wallet.created', 'wallet.funded']);
    expect(lines[2]).toContain(`"walletId":"${wallet}"`);
  });

  test('journey takes a new customer from registration to a refund, and the ledger reconciles exactly', async () => {
    const keys = ['--secret-key', sandbox.secretKey, '--publishable-key', sandbox.publishableKey];
    const journey = await run(...keys, 'journey', '--topup', '8000', '--amount', '2500', '--refund', '500', '--json');
    expect(journey).toMatchObject({ code: 0, stderr: '' });
    const { ok, steps } = JSON.parse(journey.stdout);
    expect(ok).toBe(true);
    expect(steps.map((step: any) => step.step)).toEqual([
      'register',
      'sms code',
      'top-up',
      'payment code',
      'capture',
      'refund',
      'reconciliation',
    ]);
    const [registered, sms, topup, code, capture, refund, reconciliation] = steps;
    // The SMS code is the one the sandbox texted to the customer's phone.
    const texted = (await h.get(`/v1/sandbox/messages?to=${encodeURIComponent(registered.phone)}&limit=100`, { token: sandbox.secretKey }))
      .body;
    expect(texted.data.find((m: any) => m.id === sms.messageId).body).toContain(sms.code);
    expect(topup.topup).toMatchObject({ status: 'succeeded', amount: 8_000 });
    // The pictures the app shows at the register are saved to open or scan, and served to the customer.
    expect(code.pictures.qr.url).toBe(`${h.url}/v1/payment-codes/${code.code.id}/qr.svg`);
    expect(readFileSync(code.pictures.qr.file, 'utf8')).toContain('<svg');
    expect(readFileSync(code.pictures.barcode.file, 'utf8')).toContain('<svg');
    expect(capture.payment).toMatchObject({ status: 'captured', amount: 2_500, walletId: registered.walletId });
    expect(refund.refund).toMatchObject({ paymentId: capture.payment.id, amount: 500 });
    expect(reconciliation).toMatchObject({ ok: true, discrepancies: [], balance: 6_000, expectedBalance: 6_000 });
    expect((await h.get(`/v1/sandbox/wallets/${registered.walletId}`, { token: sandbox.secretKey })).body.balance).toBe(6_000);
    const refunded = (await h.get('/v1/events?type=payment.refunded', { token: sandbox.secretKey })).body.data;
    expect(JSON.stringify(refunded)).toContain(refund.refund.id);

    const told = await run(...keys, 'journey');
    expect(told.code).toBe(0);
    expect(
      told.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => line.slice(4, 20).trim()),
    ).toEqual(['register', 'sms code', 'top-up', 'payment code', 'capture', 'refund', 'reconciliation']);
    expect(told.stdout).toMatch(/reconciliation +ok; wallet ¥8,000, expected ¥8,000\n$/);
  });

  test('fixtures run their steps in order, each string referring to what earlier steps answered', async () => {
    const keys = ['--secret-key', sandbox.secretKey, '--publishable-key', sandbox.publishableKey];
    const ran = await run(...keys, 'fixtures', 'packages/cli/fixtures/shop.json', '--json');
    expect(ran).toMatchObject({ code: 0, stderr: '' });
    const steps = JSON.parse(ran.stdout);
    expect(steps.map((step: any) => [step.name, step.status])).toEqual([
      ['customer', 201],
      ['funding', 201],
      ['store', 201],
      ['hold', 201],
      ['wallet', 200],
      ['register', 200],
    ]);
    const [customer, funding, , hold, wallet, register] = steps;
    expect(funding.path).toBe(`/v1/sandbox/wallets/${customer.body.walletId}/fund`);
    expect(JSON.stringify(hold.body)).toContain(customer.body.walletId);
    expect(wallet.body).toMatchObject({ id: customer.body.walletId, balance: 5_000 });
    // The store's register key, answered by an earlier step, is the credential of the last one.
    expect(register.body).toMatchObject({ data: [] });

    const text = await run(...keys, 'fixtures', 'packages/cli/fixtures/shop.json');
    expect(
      text.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(/\s+/).slice(0, 2).join(' ')),
    ).toEqual(['customer POST', 'funding POST', 'store POST', 'hold POST', 'wallet GET', 'register GET']);
  });

  test('a refused fixture step stops the run with the problem; a reference to no earlier step is named', async () => {
    const refused = join(scratch, 'refused.json');
    writeFileSync(
      refused,
      JSON.stringify({
        fixtures: [
          { name: 'wallet', method: 'post', path: '/v1/sandbox/wallets' },
          { name: 'overdraw', method: 'post', path: '/v1/sandbox/wallets/${wallet:body.id}/fund', body: { amount: -5 } },
          { name: 'never', method: 'get', path: '/v1/sandbox/wallets/${wallet:body.id}' },
        ],
      }),
    );
    const stopped = await run('--secret-key', sandbox.secretKey, 'fixtures', refused);
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toMatch(/^overdraw +POST \/v1\/sandbox\/wallets\/wal_\S+\/fund {2}400 /m);
    expect(stopped.stdout).not.toContain('never');
    expect(stopped.stderr).toContain('400 invalid_request');

    const dangling = join(scratch, 'dangling.json');
    writeFileSync(dangling, JSON.stringify({ fixtures: [{ name: 'w', method: 'get', path: '/v1/sandbox/wallets/${wallet:body.id}' }] }));
    expect(await run('--secret-key', sandbox.secretKey, 'fixtures', dangling)).toMatchObject({
      code: 1,
      stderr: 'error: ${wallet:body.id}: no earlier step is named wallet\n',
    });
  });
});

describe('fixture references', () => {
  const results = new Map([['customer', { status: 201, body: { walletId: 'wal_1', limits: { daily: 300_000 }, tags: ['a'] } }]]);
  const run = { id: '12345678', env: { REGION: 'tokyo' } };

  test('a string that is one reference takes the value as it is; inside text it is written out', () => {
    expect(
      resolveReferences(
        {
          walletId: '${customer:body.walletId}',
          short: '${customer:walletId}',
          daily: '${customer:body.limits.daily}',
          limits: '${customer:limits}',
          first: ['${customer:tags.0}'],
          status: '${customer:status}',
          text: 'wallet ${customer:walletId} (${customer:status}) in ${env:REGION}, run ${run:id}',
          untouched: 7,
        },
        results,
        run,
      ),
    ).toEqual({
      walletId: 'wal_1',
      short: 'wal_1',
      daily: 300_000,
      limits: { daily: 300_000 },
      first: ['a'],
      status: 201,
      text: 'wallet wal_1 (201) in tokyo, run 12345678',
      untouched: 7,
    });
  });

  test('a reference to a missing field or variable names what is missing', () => {
    expect(() => resolveReferences('${customer:body.userId}', results, run)).toThrow(
      '${customer:body.userId}: customer has no body.userId',
    );
    expect(() => resolveReferences('${env:NOPE}', results, run)).toThrow('${env:NOPE}: NOPE is not set');
  });
});
