import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { type BankAccountBody, type Secrets, newId } from '#core';
import { BOUNCING_ACCOUNT_NUMBER } from '../../libs/lifecycle/src/refund-claims.js';
import { inTransaction } from './infra.js';
import { openFundedWallets, prepareInBatches } from './wallets.js';

/** sealBankAccount seals bank accounts under this purpose (libs/lifecycle/src/refund-claims.ts). */
export const SEAL_PURPOSE = 'refund-bank-account';
/** Every POSTAL_EVERY-th claim asks for a postal payout slip, the others for a bank transfer. */
const POSTAL_EVERY = 5;
/** Balances spread evenly over ¥100–¥20,000. */
const BALANCE = { min: 100, max: 20_000 };

/** The claim row FileRefundClaim.file writes for a customer, status `submitted`. */
const INSERT_CLAIMS = `
  INSERT INTO lifecycle_refund_claims (sandbox_id, id, wallet_id, user_id, method, bank_account, bank_summary, contact_email, status, amount,
                                       filed_by, created_at, updated_at)
  SELECT $1, c.id, c.wallet, c.usr, c.method, c.sealed, c.summary, c.email, 'submitted', c.amount, 'customer:' || c.usr, $2, $2
    FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::text[], $10::bigint[])
         AS c(id, wallet, usr, method, sealed, summary, email, amount)`;

/** The confirmation e-mail FileRefundClaim.file sends with each claim. */
const INSERT_CONFIRMATIONS = `
  INSERT INTO sandbox_messages (id, sandbox_id, channel, recipient, subject, body, created_at)
  SELECT m.id, $1, 'email', m.recipient, 'We received your refund claim', m.body, $2
    FROM unnest($3::text[], $4::text[], $5::text[]) AS m(id, recipient, body)`;

/** A bank account that is paid, never the one that bounces. */
function bankAccount(): BankAccountBody {
  let accountNumber: string;
  do accountNumber = String(randomInt(10_000_000)).padStart(7, '0');
  while (accountNumber === BOUNCING_ACCOUNT_NUMBER);
  return { bankCode: '0005', branchCode: String(randomInt(100, 1_000)), accountNumber, holder: 'ナナ ハナコ' };
}

/** What a batch of claims prepared. */
interface Prepared {
  claims: number;
  amount: number;
}

/**
 * Wallets with a balance and a verified (`submitted`) refund claim each, for
 * the payout runs. Filing claims through the api would take a signed-in,
 * stepped-up customer per claim, so they are prepared straight in the bench
 * database, shaped as FileRefundClaim.file writes them for a customer: a
 * wallet account funded through `ledger_transfer` at `fundedAt` (before the
 * service ended), a claim for its whole balance filed at `filedAt` with a
 * user id, contact e-mail and, for a bank transfer, the account sealed with
 * the api's key, and the confirmation e-mail. No `refund_claim.submitted`
 * event is written: it would start a payout run by itself, and the runs are
 * started by hand when measured.
 */
export class RefundClaimSupply {
  /** Wall time spent preparing, over every call. */
  prepareSeconds = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly sandboxId: string,
    private readonly secrets: Secrets,
  ) {}

  /** Prepares `count` claims; returns how many and the yen they claim. */
  async prepare(count: number, fundedAt: Date, filedAt: Date): Promise<Prepared> {
    const total: Prepared = { claims: 0, amount: 0 };
    const started = performance.now();
    await prepareInBatches(`prepare ${count.toLocaleString('en-US')} claims (pg)`, count, async (size) => {
      const batch = await this.batch(size, fundedAt, filedAt);
      total.claims += batch.claims;
      total.amount += batch.amount;
    });
    this.prepareSeconds += (performance.now() - started) / 1000;
    return total;
  }

  private async batch(count: number, fundedAt: Date, filedAt: Date): Promise<Prepared> {
    const amounts = Array.from({ length: count }, () => randomInt(BALANCE.min, BALANCE.max + 1));
    const ids = amounts.map(() => newId('clm'));
    const users = amounts.map(() => newId('usr'));
    const emails = users.map((user) => `${user}@example.test`);
    const accounts = amounts.map((_, i) => (i % POSTAL_EVERY === POSTAL_EVERY - 1 ? null : bankAccount()));
    const how = (account: BankAccountBody | null): string =>
      account
        ? `by bank transfer to the account ending ${account.accountNumber.slice(-4)}`
        : 'by a postal payout slip, cashable at any post office';
    await inTransaction(this.pool, async (client) => {
      const wallets = await openFundedWallets(client, this.sandboxId, amounts, fundedAt);
      await client.query(INSERT_CLAIMS, [
        this.sandboxId,
        filedAt,
        ids,
        wallets,
        users,
        accounts.map((a) => (a ? 'bank_transfer' : 'postal_payout')),
        accounts.map((a, i) => (a ? this.secrets.seal(SEAL_PURPOSE, { sandboxId: this.sandboxId, id: ids[i] }, JSON.stringify(a)) : null)),
        accounts.map((a) =>
          a
            ? JSON.stringify({
                bankCode: a.bankCode,
                branchCode: a.branchCode,
                accountNumberLast4: a.accountNumber.slice(-4),
                holder: a.holder,
              })
            : null,
        ),
        emails,
        amounts,
      ]);
      await client.query(INSERT_CONFIRMATIONS, [
        this.sandboxId,
        filedAt,
        amounts.map(() => newId('msg')),
        emails,
        ids.map(
          (id, i) =>
            `We received your claim ${id} for the refund of your balance of ¥${amounts[i].toLocaleString('en-US')}, free of charge, ${how(accounts[i])}.`,
        ),
      ]);
    });
    return { claims: count, amount: amounts.reduce((sum, amount) => sum + amount, 0) };
  }
}
