import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { newPaymentCode } from '#barcode';
import { newId, sha256Hex } from '#core';
import { inTransaction } from './infra.js';
import { openFundedWallets, prepareInBatches } from './wallets.js';

/** Each prepared wallet holds this much: well over one capture's amount. */
const FUNDING = 10_000;
/** Codes live 5 minutes of sandbox time in the product; prepared ones a day, so none expires during a run. */
const CODE_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** The row POST /v1/payment-codes writes (IssuePaymentCode). */
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
    const started = performance.now();
    await prepareInBatches(`prepare ${missing.toLocaleString('en-US')} codes (pg)`, missing, async (size) => {
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
    const codes = many(newPaymentCode);
    // Shaped like Secrets.seal's output (v1.key.iv.tag.body), so the code rows are as wide as real ones until the capture drops it.
    const sealed = many(() => ['v1', ...[6, 12, 16, 22].map((n) => randomBytes(n).toString('base64url'))].join('.'));
    await inTransaction(this.pool, async (client) => {
      const wallets = await openFundedWallets(client, this.sandboxId, new Array<number>(count).fill(FUNDING), now);
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
