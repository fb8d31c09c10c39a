import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { sign } from '../../libs/webhooks/src/signature.js';
import { type SandboxKeys, useHarness } from '../support/harness.js';
import { Receiver } from '../support/receiver.js';

/** The built CLI, as `npm run cli --` runs it, against the test api; every key is passed, so no local file is read. */
const cli = resolve('dist/tools/cli/main.js');
const h = useHarness();
const scratch = mkdtempSync(join(tmpdir(), 'wallet-sandbox-cli-'));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function start(args: string[]): { child: ChildProcess; output: () => string; done: Promise<Run> } {
  const child = spawn(process.execPath, [cli, '--url', h.url, ...args], {
    env: { PATH: process.env.PATH },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<Run>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
  return { child, output: () => stdout, done };
}

const run = (...args: string[]): Promise<Run> => start(args).done;

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

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

describe('npm run cli', () => {
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
    expect((await h.get(`/v1/stores/${stores[0].id}`, { token: sandbox.secretKey })).status).toBe(200);
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
});
