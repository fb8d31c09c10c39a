import { describe, expect, jest, test } from '@jest/globals';
import { TopupsRepository } from '#topup';
import { Customers, type Tokens } from '../support/customers.js';
import { type SandboxKeys, useHarness } from '../support/harness.js';

const h = useHarness();

interface Customer {
  sandbox: SandboxKeys;
  walletId: string;
  tokens: Tokens;
}

async function customer(): Promise<Customer> {
  const sandbox = await h.createSandbox();
  const { walletId, tokens } = await new Customers(h, sandbox).onboard();
  return { sandbox, walletId, tokens };
}

/** Asks for a card top-up with the test card that always succeeds; answers the pending top-up's id. */
async function cardTopup(me: Customer, amount: number): Promise<string> {
  const token = me.tokens.accessToken;
  const card = await h.post('/v1/cards', { number: '4242424242424242', expMonth: 12, expYear: 2031, cvc: '123' }, { token });
  expect(card.status).toBe(201);
  const reply = await h.post('/v1/topups', { amount, channel: 'card', cardId: card.body.id }, { token });
  expect(reply.status).toBe(202);
  return reply.body.id;
}

const topupOf = async (me: Customer, id: string) => (await h.get(`/v1/topups/${id}`, { token: me.tokens.accessToken })).body;
const balanceOf = async (me: Customer) => (await h.get('/v1/wallet', { token: me.tokens.accessToken })).body.balance;

describe('a database error is no "not found"', () => {
  test('a database error while reading the top-up to settle fails the job, which retries and settles it, instead of completing with the top-up pending', async () => {
    const me = await customer();
    const find = jest.spyOn(h.worker!.get(TopupsRepository), 'find').mockRejectedValueOnce(new Error('Connection terminated unexpectedly'));
    let reads: number;
    try {
      const topupId = await cardTopup(me, 6_000);
      await h.drain(30_000);
      reads = find.mock.calls.filter(([, , id]) => id === topupId).length;
      expect(await topupOf(me, topupId)).toMatchObject({ status: 'succeeded', failureCode: null });
    } finally {
      find.mockRestore();
    }
    // The first read failed and the job ran again, reading it again.
    expect(reads).toBeGreaterThanOrEqual(2);
    expect(await balanceOf(me)).toBe(6_000);
  });
});
