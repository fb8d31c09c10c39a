import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Connection, ok } from '../api.js';
import { Customers, TEST_CARDS } from '../customers.js';
import { printJson, say, yen } from '../output.js';
import { Registers } from '../purchases.js';

export interface JourneyOptions {
  topup: number;
  amount: number;
  refund: number;
  json?: boolean;
}

interface Step {
  step: string;
  summary: string;
  [detail: string]: unknown;
}

/**
 * A customer's whole story on one sandbox, each step through the public api
 * as the app, the register and the operator make it: registration, the SMS
 * code, a card top-up, a payment code at a register, a refund, and the
 * operator's reconciliation, which must come out exact.
 */
export async function journey(api: Connection, options: JourneyOptions): Promise<void> {
  const steps: Step[] = [];
  const record = (step: Step): void => {
    steps.push(step);
    if (!options.json) say(`${String(steps.length).padStart(2)}. ${step.step.padEnd(16)} ${step.summary}`);
  };
  const customers = new Customers(api);
  const registers = new Registers(api, customers);

  const customer = await customers.register();
  record({ step: 'register', summary: `${customer.email}: user ${customer.userId}, wallet ${customer.walletId}`, ...customer });

  const texted = await customers.signIn(customer);
  record({
    step: 'sms code',
    summary: texted ? `${texted.code} (message ${texted.messageId}, GET /v1/sandbox/messages), signed in` : 'none asked, signed in',
    code: texted?.code ?? null,
    messageId: texted?.messageId ?? null,
  });

  const card = await customers.addCard(customer, TEST_CARDS.succeeds);
  const topup = await customers.topUpByCard(customer, card.id, options.topup);
  record({ step: 'top-up', summary: `${yen(topup.amount)} by card ${card.brand} …${card.last4}: ${topup.status}`, card, topup });
  if (topup.status !== 'succeeded') throw new Error(`the top-up ${topup.id} ${topup.status} (${topup.failureCode})`);

  const code = await registers.showCode(customer);
  const pictures = await registers.pictures(customer, code, mkdtempSync(join(tmpdir(), 'wallet-sandbox-journey-')));
  record({ step: 'payment code', summary: `${code.code} until ${code.expiresAt}; QR saved in ${pictures.qr.file}`, code, pictures });

  const store = await registers.openStore();
  const payment = await registers.scan(store, code, options.amount);
  record({
    step: 'capture',
    summary: `${yen(payment.amount)} at ${store.name} (${store.id}): payment ${payment.id} ${payment.status}`,
    store,
    payment,
  });

  const refund = await registers.refund(store, payment, options.refund);
  record({ step: 'refund', summary: `${yen(refund.amount)} back to the wallet: refund ${refund.id}`, refund });

  const wallet = await ok(api.secret.GET('/v1/sandbox/wallets/{walletId}', { params: { path: { walletId: customer.walletId } } }));
  const expected = topup.amount - payment.amount + refund.amount;
  const report = await ok(api.secret.GET('/v1/reports/reconciliation'));
  const exact = report.ok && wallet.balance === expected;
  record({
    step: 'reconciliation',
    summary: `${report.ok ? 'ok' : `${report.discrepancies.length} discrepancies`}; wallet ${yen(wallet.balance)}, expected ${yen(expected)}`,
    ok: report.ok,
    discrepancies: report.discrepancies,
    balance: wallet.balance,
    expectedBalance: expected,
  });

  if (options.json) printJson({ ok: exact, steps });
  if (!exact) {
    process.stderr.write('the journey does not reconcile\n');
    process.exitCode = 1;
  }
}
