import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { newPaymentCode } from '#barcode';
import { newId, sha256Hex } from '#core';
import { SystemAccount } from '#ledger';
import { forEachConcurrently } from './measure.js';
import { inTransaction } from './infra.js';

/** Each prepared wallet holds this much: well over one capture's amount. */
const FUNDING = 10_000;
/** Codes live 5 minutes of sandbox time in the product; prepared ones a day, so none expires during a run. */
const CODE_LIFETIME_MS = 24 * 60 * 60 * 1000;
/**
 * Rows per transaction. ledger_transfer takes an advisory lock per transfer
 * and holds it to commit, and the shared lock table holds only
 * max_locks_per_transaction × max_connections (6,400 by default).
 */
const BATCH = 500;
const PARALLEL = 2;

/** One funding transfer per wallet, through the ledger's own function, so the ledger reconciles. */
const FUND = `
  SELECT count(*)::int AS posted
    FROM unnest($2::text[], $3::text[]) AS w(wallet, transfer_id)
   CROSS JOIN LATERAL ledger_transfer($1, w.transfer_id, 'sandbox_funding:' || w.transfer_id, $4, w.wallet, $5,
                                      'sandbox_funding', '{}', $6) AS t
   WHERE t.o_outcome = 'posted'`;

/** The row POST /v1/payment-codes writes (PaymentCodes.issue). */
const INSERT_CODES = `
  INSERT INTO barcode_payment_codes (sandbox_id, id, code_hash, sealed_code, wallet_id, user_id, device_id, status, expires_at, created_at)
  SELECT $1, unnest($2::text[]), unnest($3::text[]), unnest($4::text[]), unnest($5::text[]), unnest($6::text[]), unnest($7::text[]),
         'active', $8, $9`;

/**
 * Live one-time payment codes for the register scenarios, each handed out
 * once. Issuing codes through the api would need a signed-in customer per
 * code (an argon2 hash each) because a wallet has one live code at a time,
 * so they are prepared straight in the bench database instead: per code a
 * wallet account funded from the sandbox's funding account and an active
 * code row as the api writes it. What a capture then does is the real path.
 */
export class PaymentCodeSupply {
  private codes: string[] = [];
  private next = 0;
  /** Codes prepared so far. */
  prepared = 0;
  /** take() calls that found none left. */
  shortfalls = 0;
  /** Wall time spent preparing. */
  prepareSeconds = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly sandboxId: string,
    private readonly now: () => Date,
  ) {}

  get left(): number {
    return this.codes.length - this.next;
  }

  /** The next unused code, or undefined when all are taken. */
  take(): string | undefined {
    if (this.next >= this.codes.length) {
      this.shortfalls += 1;
      return undefined;
    }
    return this.codes[this.next++];
  }

  /** Prepares codes until at least `count` are left. */
  async topUp(count: number): Promise<void> {
    const missing = Math.ceil(count - this.left);
    if (missing <= 0) return;
    this.codes = this.codes.slice(this.next);
    this.next = 0;
    const batches = Array.from({ length: Math.ceil(missing / BATCH) }, (_, i) => Math.min(BATCH, missing - i * BATCH));
    const started = performance.now();
    await forEachConcurrently(`prepare ${missing.toLocaleString('en-US')} codes (pg)`, batches, PARALLEL, async (size) => {
      this.codes.push(...(await this.prepare(size)));
      this.prepared += size;
    });
    this.prepareSeconds += (performance.now() - started) / 1000;
  }

  /** For the JSON report. */
  summary(): { prepared: number; left: number; shortfalls: number; prepareSeconds: number } {
    return {
      prepared: this.prepared,
      left: this.left,
      shortfalls: this.shortfalls,
      prepareSeconds: Math.round(this.prepareSeconds * 10) / 10,
    };
  }

  private async prepare(count: number): Promise<string[]> {
    const now = this.now();
    const expiresAt = new Date(now.getTime() + CODE_LIFETIME_MS);
    const many = (make: () => string): string[] => Array.from({ length: count }, make);
    const wallets = many(() => newId('wal'));
    const codes = many(newPaymentCode);
    // Shaped like Secrets.seal's output (iv.tag.body), so the code rows are as wide as real ones until the capture drops it.
    const sealed = many(() => [12, 16, 22].map((n) => randomBytes(n).toString('base64url')).join('.'));
    await inTransaction(this.pool, async (client) => {
      await client.query(`INSERT INTO ledger_accounts (sandbox_id, id, kind, created_at) SELECT $1, unnest($2::text[]), 'wallet', $3`, [
        this.sandboxId,
        wallets,
        now,
      ]);
      const { rows } = await client.query<{ posted: number }>(FUND, [
        this.sandboxId,
        wallets,
        many(() => newId('trf')),
        SystemAccount.SandboxFunding,
        FUNDING,
        now,
      ]);
      if (rows[0].posted !== count) throw new Error(`funding posted ${rows[0].posted} of ${count} transfers`);
      await client.query(INSERT_CODES, [
        this.sandboxId,
        many(() => newId('pcd')),
        codes.map(sha256Hex),
        sealed,
        wallets,
        many(() => newId('usr')),
        many(() => newId('dev')),
        expiresAt,
        now,
      ]);
    });
    return codes;
  }
}
