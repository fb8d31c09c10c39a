import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { freePort } from '../../tools/support/ports.js';
import { ServiceProcess, waitUntilReady } from '../../tools/support/processes.js';
import { HttpClient, useHarness } from '../support/harness.js';

/** The harness's in-process worker runs the jobs; the built api (beside the built demo) starts the replays. */
const h = useHarness();
let api: ServiceProcess;
let http: HttpClient;

beforeAll(async () => {
  const port = await freePort();
  api = ServiceProcess.start('api', process.cwd(), 'apps/api/src/main.js', { ...process.env, PORT: String(port), LOG_LEVEL: 'warn' });
  http = new HttpClient(`http://127.0.0.1:${port}`);
  await waitUntilReady(http.url, [api]);
}, 60_000);

afterAll(async () => {
  await api?.stop();
});

/** The api's children (Linux): the replay runner it started. */
function children(pid: number): number[] {
  const list = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return list ? list.split(' ').map(Number) : [];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('the replay runner (POST /v1/replays)', () => {
  test('runs the demo as a child of the api with the keys in its environment, one at a time; a stopped or dead one leaves its replay failed', async () => {
    const operator = await h.createSandbox();
    const started = await http.post('/v1/replays', { customers: 20, pace: 'presenter' }, { token: operator.secretKey });
    expect(started.status).toBe(202);
    const { sandbox, replay } = started.body;
    expect(sandbox).toMatchObject({ securityProfile: 'legacy-2019', simulatedClientIps: true });
    expect(replay).toMatchObject({ sandboxId: sandbox.id, status: 'running', customers: 20, seed: 2019, pace: 'presenter' });

    const busy = await http.post('/v1/replays', { customers: 20, pace: 'fast' }, { token: h.adminToken });
    expect(busy.status).toBe(409);
    expect(busy.body.code).toBe('replay_running');

    const [child] = children(api.pid as number);
    const argv = readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0');
    expect(argv).toEqual(expect.arrayContaining(['--attach', '--pace', 'presenter']));
    expect(argv.join(' ')).toContain('demo-7pay/main.js');
    expect(argv.join(' ')).not.toContain(sandbox.secretKey);
    expect(readFileSync(`/proc/${child}/environ`, 'utf8')).toContain(`REPLAY_SECRET_KEY=${sandbox.secretKey}`);

    const read = () => http.get('/v1/sandbox/replay', { token: sandbox.secretKey }).then((reply) => reply.body);
    await until('the replay reports its first chapter', read, (r) => r.chapter !== null);

    process.kill(child, 'SIGKILL');
    const failed = await until('the replay fails', read, (r) => r.status !== 'running', 60_000);
    expect(failed.status).toBe('failed');
    expect(failed.failure).toContain('SIGKILL');

    // The runner is free again. A replay stopped by a signal says so itself.
    const next = await http.post('/v1/replays', { customers: 20, pace: 'presenter' }, { token: operator.secretKey });
    expect(next.status).toBe(202);
    const readNext = () => http.get('/v1/sandbox/replay', { token: next.body.sandbox.secretKey }).then((reply) => reply.body);
    await until('the second replay reports its first chapter', readNext, (r) => r.chapter !== null);
    const [second] = children(api.pid as number);
    process.kill(second, 'SIGTERM');
    const stopped = await until('the second replay fails', readNext, (r) => r.status !== 'running', 60_000);
    expect(stopped).toMatchObject({ status: 'failed', failure: 'stopped by SIGTERM' });

    await until(
      'the second runner exits',
      async () => children(api.pid as number),
      (pids) => pids.length === 0,
      30_000,
    );

    // Stopping the api stops the replay it runs.
    expect((await http.post('/v1/replays', { customers: 20, pace: 'fast' }, { token: operator.secretKey })).status).toBe(202);
    const [third] = await until(
      'a third runner',
      async () => children(api.pid as number),
      (pids) => pids.length === 1,
      20_000,
    );
    await api.stop();
    await until(
      'the runner stops with the api',
      async () => alive(third),
      (up) => !up,
      30_000,
    );
  }, 120_000);
});
