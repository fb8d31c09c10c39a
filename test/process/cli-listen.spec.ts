import { type Server, type Socket, connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { verifySignature } from '../../libs/webhooks/src/signature.js';
import { type Running, startCli, waitFor } from '../support/cli.js';
import { type SandboxKeys, useHarness } from '../support/harness.js';
import { Receiver } from '../support/receiver.js';

/** `wallet-sandbox listen` against the test api, forwarding to a local receiver. */
const h = useHarness();
let sandbox: SandboxKeys;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await Receiver.start();
  sandbox = await h.createSandbox();
});
afterAll(async () => {
  await receiver.close();
});

function listen(path: string, options: { url?: string; keys?: SandboxKeys; args?: string[] } = {}): Running {
  const keys = options.keys ?? sandbox;
  return startCli(options.url ?? h.url, [
    '--secret-key',
    keys.secretKey,
    'listen',
    '--forward-to',
    `${receiver.url}${path}`,
    ...(options.args ?? []),
  ]);
}

/** The secret a run prints once it follows the stream. */
async function ready(running: Running): Promise<string> {
  const announced = /^Ready! Your webhook signing secret is (whsec_\S+) /m;
  await waitFor(() => announced.test(running.output()));
  return announced.exec(running.output())![1];
}

async function stop(running: Running): Promise<string> {
  running.child.kill('SIGTERM');
  const { code, stdout } = await running.done;
  expect(code).toBe(0);
  return stdout;
}

const forwarded = (path: string) => receiver.at(path).map((request) => JSON.parse(request.body));

/** A TCP hop to the api that can drop every connection and hold new ones, as a network outage would. */
class Outage {
  private open = new Set<Socket>();
  private held: Socket[] = [];
  private down = false;

  private constructor(
    private readonly server: Server,
    private readonly upstreamPort: number,
  ) {}

  static async start(upstream: string): Promise<Outage> {
    const server = createServer();
    const outage = new Outage(server, Number(new URL(upstream).port));
    server.on('connection', (socket) => (outage.down ? outage.held.push(socket) : outage.pass(socket)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return outage;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  begin(): void {
    this.down = true;
    for (const socket of this.open) socket.destroy();
    this.open.clear();
  }

  end(): void {
    this.down = false;
    for (const socket of this.held.splice(0)) this.pass(socket);
  }

  async close(): Promise<void> {
    this.begin();
    for (const socket of this.held) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private pass(client: Socket): void {
    const api = connect(this.upstreamPort, '127.0.0.1');
    for (const [a, b] of [
      [client, api],
      [api, client],
    ]) {
      this.open.add(a);
      a.pipe(b);
      a.on('error', () => b.destroy());
      a.on('close', () => b.destroy());
    }
  }
}

describe('wallet-sandbox listen', () => {
  test('forwards each new event as a webhook delivery signed in both schemes, the body byte for byte the event, and prints one line for each', async () => {
    const running = listen('/listen');
    const secret = await ready(running);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const wallet = await h.createWallet(sandbox, 1_500);
    await waitFor(() => receiver.at('/listen').length >= 2);
    await waitFor(() => running.output().split('\n').filter(Boolean).length >= 3);
    const output = await stop(running);

    expect(forwarded('/listen')).toEqual([
      expect.objectContaining({ object: 'event', type: 'wallet.created', data: expect.objectContaining({ walletId: wallet }) }),
      expect.objectContaining({ object: 'event', type: 'wallet.funded', data: expect.objectContaining({ walletId: wallet }) }),
    ]);
    for (const delivery of receiver.at('/listen')) {
      const { id } = JSON.parse(delivery.body);
      expect(delivery.body).toBe((await h.get(`/v1/events/${id}`, { token: sandbox.secretKey })).text);
      expect(delivery.headers).toMatchObject({ 'content-type': 'application/json', 'wallet-event-id': id, 'webhook-id': id });
      // A receiver using the Standard Webhooks library, with the printed secret, accepts it too.
      expect(new Webhook(secret).verify(delivery.body, delivery.headers as Record<string, string>)).toEqual(JSON.parse(delivery.body));
      expect(() => new Webhook(secret).verify(`${delivery.body} `, delivery.headers as Record<string, string>)).toThrow();
      const header = String(delivery.headers['wallet-signature']);
      const nowSeconds = Math.floor(Date.now() / 1000);
      expect(verifySignature({ body: delivery.body, header, secret, nowSeconds })).toMatchObject({ ok: true });
      expect(verifySignature({ body: delivery.body, header, secret: `${secret}x`, nowSeconds })).toMatchObject({ ok: false });
    }
    const lines = output.split('\n').filter(Boolean).slice(1);
    expect(lines).toHaveLength(2);
    for (const [i, type] of ['wallet.created', 'wallet.funded'].entries()) {
      expect(lines[i]).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\S+Z  ${type.replace('.', '\\.')} +evt_\\S+  200  \\d+ ms$`));
    }
  });

  test('the secret is the same on every run for one sandbox; a new run forwards only what comes after it starts; --events chooses types', async () => {
    const first = listen('/first');
    const secret = await ready(first);
    await stop(first);
    await h.createWallet(sandbox, 1_000); // while nobody listens

    const second = listen('/second', { args: ['--events', 'wallet.funded'] });
    expect(await ready(second)).toBe(secret);
    const wallet = await h.createWallet(sandbox, 2_000);
    await waitFor(() => receiver.at('/second').length >= 1);
    await sleep(500);
    await stop(second);
    expect(forwarded('/second')).toEqual([
      expect.objectContaining({ type: 'wallet.funded', data: expect.objectContaining({ walletId: wallet }) }),
    ]);
    expect(receiver.at('/first')).toEqual([]);

    const other = listen('/other', { keys: await h.createSandbox() });
    expect(await ready(other)).not.toBe(secret);
    await stop(other);
  });

  test('a dropped stream is resumed after the last event: what happened meanwhile arrives once, and nothing twice', async () => {
    const outage = await Outage.start(h.url);
    try {
      const running = listen('/resume', { url: outage.url });
      await ready(running);
      const before = await h.createWallet(sandbox, 1_000);
      await waitFor(() => receiver.at('/resume').length >= 2);

      outage.begin();
      await waitFor(() => running.errors().includes('the event stream dropped'));
      const during = await h.createWallet(sandbox, 1_000);
      await sleep(1_500); // the CLI is reconnecting, and waits on the held connection
      outage.end();

      await waitFor(() => running.errors().includes('reconnected, resuming after evt_'));
      await waitFor(() => receiver.at('/resume').length >= 4);
      await sleep(500);
      await stop(running);
      const events = forwarded('/resume');
      expect(events.map((event) => [event.type, event.data.walletId])).toEqual([
        ['wallet.created', before],
        ['wallet.funded', before],
        ['wallet.created', during],
        ['wallet.funded', during],
      ]);
      expect(new Set(events.map((event) => event.id)).size).toBe(4);
    } finally {
      await outage.close();
    }
  });
});
