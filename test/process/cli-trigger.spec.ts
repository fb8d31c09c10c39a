import { beforeAll, describe, expect, test } from '@jest/globals';
import { type Run, startCli } from '../support/cli.js';
import { type SandboxKeys, useHarness } from '../support/harness.js';

/** `wallet-sandbox trigger` against the test api, on a sandbox of this file's own. */
const h = useHarness();
let sandbox: SandboxKeys;
const run = (...args: string[]): Promise<Run> => startCli(h.url, args).done;
const trigger = (keys: SandboxKeys, ...args: string[]): Promise<Run> =>
  run('--secret-key', keys.secretKey, '--publishable-key', keys.publishableKey, 'trigger', ...args);
const logged = async (keys: SandboxKeys, type: string): Promise<string[]> =>
  (await h.get(`/v1/events?type=${type}&limit=100`, { token: keys.secretKey })).body.data.map((event: any) => event.id);

beforeAll(async () => {
  sandbox = await h.createSandbox();
});

/** Each type, where the object it is about sits in what the trigger made, and what that object must look like. */
const CASES: Array<[type: string, path: string[], expected: Record<string, unknown>]> = [
  ['user.registered', ['customer'], { userId: expect.stringMatching(/^usr_/), walletId: expect.stringMatching(/^wal_/) }],
  ['wallet.funded', ['wallet'], { walletId: expect.stringMatching(/^wal_/), amount: 1_000, balance: 1_000 }],
  ['hold.placed', ['hold'], { id: expect.any(String) }],
  ['topup.succeeded', ['topup'], { id: expect.any(String), status: 'succeeded', amount: 1_000 }],
  ['topup.failed', ['topup'], { id: expect.any(String), status: 'failed', failureCode: 'card_declined' }],
  ['payment.captured', ['payment'], { id: expect.any(String), status: 'captured', amount: 1_000 }],
  ['payment.authorized', ['payment'], { id: expect.any(String), status: 'authorized', amount: 1_000 }],
  ['payment.voided', ['payment'], { id: expect.any(String), status: 'voided' }],
  ['payment.refunded', ['refund'], { id: expect.any(String), amount: 1_000 }],
];

describe('wallet-sandbox trigger', () => {
  test('--list names every event type it can make', async () => {
    const listed = await run('trigger', '--list', '--json');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).map((row: any) => row.event)).toEqual(
      expect.arrayContaining([...CASES.map(([type]) => type), 'refund_claim.paid']),
    );
    expect((await run('trigger', '--list')).stdout).toMatch(/^EVENT +DOES\n/);
  });

  test.each(CASES)('%s: makes what the event needs through the api, and the event is in the log', async (type, path, expected) => {
    const before = await logged(sandbox, type);
    const triggered = await trigger(sandbox, type, '--json');
    expect(triggered).toMatchObject({ code: 0, stderr: '' });
    const { event, made } = JSON.parse(triggered.stdout);
    const object = path.reduce((found, key) => found[key], made);
    expect(object).toMatchObject(expected);
    expect(event.type).toBe(type);
    // The event is about the object made: it names its id (or, for a funding, its wallet's).
    expect(JSON.stringify(event.data)).toContain(object.id ?? object.walletId ?? object.userId);
    const after = await logged(sandbox, type);
    expect(after).toContain(event.id);
    expect(before).not.toContain(event.id);
  });

  test('prints the event and each object made for people; an unknown type is refused with the way to the list', async () => {
    const told = await trigger(sandbox, 'wallet.funded');
    expect(told.code).toBe(0);
    expect(told.stdout).toMatch(/^Triggered wallet\.funded: evt_\S+\n {2}wallet {7}\{"walletId":"wal_/);

    expect(await trigger(sandbox, 'wallet.exploded')).toMatchObject({
      code: 1,
      stderr: 'error: no trigger for wallet.exploded; `trigger --list` names the ones there are\n',
    });
  });

  test("refund_claim.paid ends the sandbox's service only when told to, then files a claim the worker pays", async () => {
    const ending = await h.createSandbox();
    const refused = await trigger(ending, 'refund_claim.paid');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('pass --end-service');
    const phases = async () =>
      (await h.get('/v1/events?type=service.phase_changed', { token: ending.secretKey })).body.data.map((e: any) => e.data.to).reverse();
    expect(await phases()).toEqual([]);

    const triggered = await trigger(ending, 'refund_claim.paid', '--end-service', '--json');
    expect(triggered).toMatchObject({ code: 0, stderr: '' });
    const { event, made } = JSON.parse(triggered.stdout);
    expect(made.refundClaim).toMatchObject({ status: 'paid', paidAmount: 2_000, walletId: made.customer.walletId });
    expect(event).toMatchObject({ type: 'refund_claim.paid' });
    expect(JSON.stringify(event.data)).toContain(made.refundClaim.id);
    expect(await logged(ending, 'refund_claim.paid')).toEqual([event.id]);
    expect(await phases()).toEqual(['abolition_announced', 'terminated', 'refund_window']);
  });
});
