import type pg from 'pg';
import { newId } from '#core';
import { SystemAccount } from '#ledger';
import { forEachConcurrently } from './measure.js';

/**
 * Rows per transaction when preparing wallets. ledger_transfer takes an
 * advisory lock per transfer and holds it to commit, and the shared lock
 * table holds only max_locks_per_transaction × max_connections (6,400 by
 * default).
 */
const BATCH = 500;
/** Batches prepared at once. */
const PARALLEL = 2;

/** One funding transfer per wallet, through the ledger's own function, so the ledger reconciles. */
const FUND = `
  SELECT count(*)::int AS posted
    FROM unnest($2::text[], $3::text[], $4::bigint[]) AS w(wallet, transfer_id, amount)
   CROSS JOIN LATERAL ledger_transfer($1, w.transfer_id, 'sandbox_funding:' || w.transfer_id, $5, w.wallet, w.amount,
                                      'sandbox_funding', '{}', $6) AS t
   WHERE t.o_outcome = 'posted'`;

/**
 * Opens a wallet account per amount straight in the ledger, in the caller's
 * transaction, each funded with its amount from the sandbox's funding
 * account by a transfer of its own posted at `at`. Returns the wallet ids.
 */
export async function openFundedWallets(client: pg.PoolClient, sandboxId: string, amounts: number[], at: Date): Promise<string[]> {
  const wallets = amounts.map(() => newId('wal'));
  await client.query(`INSERT INTO ledger_accounts (sandbox_id, id, kind, created_at) SELECT $1, unnest($2::text[]), 'wallet', $3`, [
    sandboxId,
    wallets,
    at,
  ]);
  const { rows } = await client.query<{ posted: number }>(FUND, [
    sandboxId,
    wallets,
    wallets.map(() => newId('trf')),
    amounts,
    SystemAccount.SandboxFunding,
    at,
  ]);
  if (rows[0].posted !== wallets.length) throw new Error(`funding posted ${rows[0].posted} of ${wallets.length} transfers`);
  return wallets;
}

/** Runs `prepare` for `count` rows in batches of BATCH, PARALLEL at a time, with a bar. */
export async function prepareInBatches(label: string, count: number, prepare: (size: number) => Promise<void>): Promise<void> {
  const batches = Array.from({ length: Math.ceil(count / BATCH) }, (_, i) => Math.min(BATCH, count - i * BATCH));
  await forEachConcurrently(label, batches, PARALLEL, prepare);
}
