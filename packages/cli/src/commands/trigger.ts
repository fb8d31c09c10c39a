import { setTimeout as sleep } from 'node:timers/promises';
import type { components } from '@wallet-sandbox/client';
import { type Connection, ok, okAs } from '../api.js';
import { type Customer, Customers, TEST_CARDS } from '../customers.js';
import { printJson, say, table } from '../output.js';
import type { EventType } from './events.js';
import { type Payment, Registers, type Store } from '../purchases.js';

type Event = components['schemas']['EventDto'];
type Made = Record<string, unknown>;

interface TriggerContext {
  api: Connection;
  customers: Customers;
  registers: Registers;
  /** `--end-service`: the caller agreed to abolish this sandbox's service. */
  endService: boolean;
}

interface Trigger {
  does: string;
  make(context: TriggerContext): Promise<Made>;
}

const DAY_MS = 86_400_000;

/** A registered customer, signed in, with a sandbox-funded balance to spend if one is asked. */
async function shopper(c: TriggerContext, balance: number): Promise<Customer> {
  const customer = await c.customers.register();
  await c.customers.signIn(customer);
  if (balance > 0) await c.registers.fund(customer, balance);
  return customer;
}

/** What the trigger prints of a customer it made. */
const who = (customer: Customer) => ({ userId: customer.userId, walletId: customer.walletId });

type Purchase = { customer: Pick<Customer, 'userId' | 'walletId'>; store: Store; payment: Payment };

async function payment(c: TriggerContext, capture: boolean): Promise<Purchase> {
  const customer = await shopper(c, 5_000);
  const store = await c.registers.openStore();
  const code = await c.registers.showCode(customer);
  const made = await c.registers.scan(store, code, 1_000, capture);
  return { customer: who(customer), store, payment: made };
}

async function topup(c: TriggerContext, card: string): Promise<Made> {
  const customer = await shopper(c, 0);
  const added = await c.customers.addCard(customer, card);
  const made = await c.customers.topUpByCard(customer, added.id, 1_000);
  return { customer: who(customer), card: added, topup: made };
}

async function testWallet(c: TriggerContext): Promise<{ id: string }> {
  return ok(c.api.secret.POST('/v1/sandbox/wallets'));
}

/**
 * The service's end, as 7pay's: abolition announced, the clock moved to the
 * refund window, a customer's claim filed, and the worker paying it.
 */
async function refundClaimPaid(c: TriggerContext): Promise<Made> {
  if (!c.endService) {
    throw new Error(
      "refund_claim.paid ends this sandbox's service for good (abolition, the clock moved 11 days on): pass --end-service to agree",
    );
  }
  const service = await okAs<{ phase: string }>(c.api.secret.GET('/v1/service'));
  if (service.phase !== 'operating') throw new Error(`the service is ${service.phase}, not operating: trigger it on a new sandbox`);
  const customer = await shopper(c, 2_000);
  const now = new Date((await ok(c.api.secret.GET('/v1/sandbox/clock'))).now).getTime();
  const at = (days: number): string => new Date(now + days * DAY_MS).toISOString();
  const dates = { terminationAt: at(10), refundClaimsFrom: at(11), refundClaimsUntil: at(101) };
  await ok(
    c.api.secret.POST('/v1/service/transitions', { body: { to: 'abolition_announced', reason: 'wallet-sandbox trigger', ...dates } }),
  );
  await ok(c.api.secret.POST('/v1/sandbox/clock/advance', { body: { seconds: 11 * 86_400 + 1 } }));
  await waitFor(async () => (await okAs<{ phase: string }>(c.api.secret.GET('/v1/service'))).phase === 'refund_window');
  // The access token ran out while the clock moved on.
  await c.customers.signIn(customer);
  const body = { method: 'postal_payout', email: customer.email, phone: customer.phone } as const;
  const filed = await c.customers.stepUp(customer, () => c.customers.app(customer).POST('/v1/refund-claims', { body }));
  let claim = filed;
  await waitFor(async () => {
    claim = await ok(c.api.secret.GET('/v1/refund-claims/{id}', { params: { path: { id: filed.id } } }));
    return claim.status === 'paid';
  });
  return { customer: who(customer), service: dates, refundClaim: claim };
}

export const TRIGGERS: Partial<Record<EventType, Trigger>> = {
  'user.registered': {
    does: 'registers a customer',
    make: async (c) => ({ customer: await c.customers.register() }),
  },
  'wallet.funded': {
    does: 'funds a test wallet with ¥1,000',
    make: async (c) => {
      const wallet = await testWallet(c);
      const funded = await ok(
        c.api.secret.POST('/v1/sandbox/wallets/{walletId}/fund', { params: { path: { walletId: wallet.id } }, body: { amount: 1_000 } }),
      );
      return { wallet: funded };
    },
  },
  'hold.placed': {
    does: 'places a hold on a test wallet',
    make: async (c) => {
      const wallet = await testWallet(c);
      const hold = await okAs<Made>(
        c.api.secret.POST('/v1/holds', { body: { walletId: wallet.id, reason: 'placed by wallet-sandbox trigger' } }),
      );
      return { wallet, hold };
    },
  },
  'topup.succeeded': {
    does: `a customer tops up ¥1,000 with the test card ${TEST_CARDS.succeeds}`,
    make: (c) => topup(c, TEST_CARDS.succeeds),
  },
  'topup.failed': {
    does: `a customer tops up ¥1,000 with the declined test card ${TEST_CARDS.declined}`,
    make: (c) => topup(c, TEST_CARDS.declined),
  },
  'payment.captured': {
    does: 'a customer pays ¥1,000 at a new store',
    make: (c) => payment(c, true),
  },
  'payment.authorized': {
    does: 'a store authorises ¥1,000 to capture later',
    make: (c) => payment(c, false),
  },
  'payment.voided': {
    does: 'a store authorises ¥1,000, then voids it',
    make: async (c) => {
      const made = await payment(c, false);
      return { ...made, payment: await c.registers.void(made.store, made.payment) };
    },
  },
  'payment.refunded': {
    does: 'a customer pays ¥1,000 and the store refunds it',
    make: async (c) => {
      const made = await payment(c, true);
      return { ...made, refund: await c.registers.refund(made.store, made.payment, 1_000) };
    },
  },
  'refund_claim.paid': {
    does: "abolishes the service, files a customer's refund claim and waits for its payout (--end-service)",
    make: refundClaimPaid,
  },
};

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(200)) if (await condition()) return;
  throw new Error(`gave up waiting after ${timeoutMs / 1000} s: is the worker running?`);
}

export function listTriggers(json?: boolean): void {
  const rows = Object.entries(TRIGGERS).map(([event, trigger]) => ({ event, does: trigger!.does }));
  if (json) printJson(rows);
  else say(table(rows));
}

/** Makes what an event needs through the api, then waits for the event itself in the log. */
export async function trigger(api: Connection, type: string, options: { endService?: boolean; json?: boolean }): Promise<void> {
  const chosen = TRIGGERS[type as EventType];
  if (!chosen) throw new Error(`no trigger for ${type}; \`trigger --list\` names the ones there are`);
  const newest = async (): Promise<Event | undefined> =>
    (await ok(api.secret.GET('/v1/events', { params: { query: { type: type as EventType, limit: 1 } } }))).data[0];
  const before = (await newest())?.id ?? '';
  const customers = new Customers(api);
  const made = await chosen.make({ api, customers, registers: new Registers(api, customers), endService: Boolean(options.endService) });
  let event: Event | undefined;
  await waitFor(async () => {
    event = await newest();
    return event !== undefined && event.id > before;
  });
  if (options.json) return printJson({ event, made });
  say(`Triggered ${type}: ${event!.id}`);
  for (const [name, object] of Object.entries(made)) say(`  ${name.padEnd(12)} ${JSON.stringify(object)}`);
}
