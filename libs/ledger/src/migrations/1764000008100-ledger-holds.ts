import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Wallet holds, as the fraud module places and lifts them. A wallet with an
 * open hold cannot pay (transfers and reservations of code 'payment' are
 * refused with wallet_on_hold, checked in the statement that debits); it can
 * still be credited, so refunds and compensation reach it.
 */
export class LedgerHolds1764000008100 implements MigrationInterface {
  name = 'LedgerHolds1764000008100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ledger_accounts ADD COLUMN holds integer NOT NULL DEFAULT 0 CHECK (holds >= 0)`);
    await q.query(`
      CREATE TABLE ledger_wallet_holds (
        sandbox_id text NOT NULL,
        hold_id    text NOT NULL,
        wallet_id  text NOT NULL,
        reason     text NOT NULL,
        placed_at  timestamptz NOT NULL,
        PRIMARY KEY (sandbox_id, hold_id)
      )`);
    await q.query(`CREATE INDEX ledger_wallet_holds_by_wallet ON ledger_wallet_holds (sandbox_id, wallet_id)`);
    await q.query(`
      CREATE FUNCTION ledger_wallet_on_hold(p_sandbox text, p_wallet text)
      RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT COALESCE((SELECT holds > 0 FROM ledger_accounts WHERE sandbox_id = p_sandbox AND id = p_wallet), false)
      $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION ledger_transfer(
        p_sandbox text, p_id text, p_key text, p_debit text, p_credit text, p_amount bigint,
        p_code text, p_metadata jsonb, p_at timestamptz, p_pending_id text DEFAULT NULL)
      RETURNS TABLE (o_outcome text, o_transfer_id text, o_debit_balance bigint, o_credit_balance bigint)
      LANGUAGE plpgsql AS $$
      DECLARE
        v_existing ledger_transfers%ROWTYPE;
        v_debit_kind text;
        v_credit_kind text;
        v_debit_balance bigint;
        v_credit_balance bigint;
      BEGIN
        IF p_amount IS NULL OR p_amount <= 0 THEN
          RAISE EXCEPTION 'ledger_transfer: amount must be positive' USING ERRCODE = 'check_violation';
        END IF;
        -- Same-key postings queue here, so the second sees the first's row and replays it.
        PERFORM pg_advisory_xact_lock(hashtextextended(p_sandbox || '/' || p_key, 0));
        SELECT * INTO v_existing FROM ledger_transfers t WHERE t.sandbox_id = p_sandbox AND t.key = p_key;
        IF FOUND THEN
          IF v_existing.debit_account_id = p_debit AND v_existing.credit_account_id = p_credit AND v_existing.amount = p_amount THEN
            RETURN QUERY SELECT 'replayed'::text, v_existing.id,
              (SELECT a.balance FROM ledger_accounts a WHERE a.sandbox_id = p_sandbox AND a.id = p_debit AND a.kind = 'wallet'),
              (SELECT a.balance FROM ledger_accounts a WHERE a.sandbox_id = p_sandbox AND a.id = p_credit AND a.kind = 'wallet');
          ELSE
            RETURN QUERY SELECT 'key_reused'::text, v_existing.id, NULL::bigint, NULL::bigint;
          END IF;
          RETURN;
        END IF;

        SELECT a.kind INTO v_debit_kind FROM ledger_accounts a WHERE a.sandbox_id = p_sandbox AND a.id = p_debit;
        SELECT a.kind INTO v_credit_kind FROM ledger_accounts a WHERE a.sandbox_id = p_sandbox AND a.id = p_credit;
        IF v_debit_kind IS NULL OR v_credit_kind IS NULL THEN
          RETURN QUERY SELECT 'account_not_found'::text, NULL::text, NULL::bigint, NULL::bigint;
          RETURN;
        END IF;
        IF v_debit_kind = 'wallet' AND v_credit_kind = 'wallet' THEN
          -- Two wallets: lock both in id order so opposite transfers cannot deadlock.
          PERFORM 1 FROM ledger_accounts a WHERE a.sandbox_id = p_sandbox AND a.id IN (p_debit, p_credit) ORDER BY a.id FOR UPDATE;
        END IF;
        IF v_debit_kind = 'wallet' THEN
          UPDATE ledger_accounts a SET balance = a.balance - p_amount
           WHERE a.sandbox_id = p_sandbox AND a.id = p_debit AND a.balance - a.reserved >= p_amount
             AND (p_code <> 'payment' OR a.holds = 0)
          RETURNING a.balance INTO v_debit_balance;
          IF NOT FOUND THEN
            IF p_code = 'payment' AND EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.sandbox_id = p_sandbox AND a.id = p_debit AND a.holds > 0) THEN
              RETURN QUERY SELECT 'wallet_on_hold'::text, NULL::text, NULL::bigint, NULL::bigint;
            ELSE
              RETURN QUERY SELECT 'insufficient_balance'::text, NULL::text, NULL::bigint, NULL::bigint;
            END IF;
            RETURN;
          END IF;
        END IF;
        IF v_credit_kind = 'wallet' THEN
          UPDATE ledger_accounts a SET balance = a.balance + p_amount
           WHERE a.sandbox_id = p_sandbox AND a.id = p_credit
          RETURNING a.balance INTO v_credit_balance;
        END IF;
        INSERT INTO ledger_transfers (sandbox_id, id, key, debit_account_id, credit_account_id, amount, code, pending_id, metadata, posted_at)
        VALUES (p_sandbox, p_id, p_key, p_debit, p_credit, p_amount, p_code, p_pending_id, COALESCE(p_metadata, '{}'), p_at);
        INSERT INTO ledger_entries (sandbox_id, account_id, transfer_id, amount, posted_at)
        VALUES (p_sandbox, p_debit, p_id, -p_amount, p_at), (p_sandbox, p_credit, p_id, p_amount, p_at);
        RETURN QUERY SELECT 'posted'::text, p_id, v_debit_balance, v_credit_balance;
      END $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION ledger_reserve(
        p_sandbox text, p_id text, p_key text, p_debit text, p_credit text, p_amount bigint,
        p_code text, p_metadata jsonb, p_at timestamptz, p_expires_at timestamptz)
      RETURNS TABLE (o_outcome text, o_pending_id text)
      LANGUAGE plpgsql AS $$
      DECLARE
        v_existing ledger_pending_transfers%ROWTYPE;
        v_debit_kind text;
        v_credit_kind text;
      BEGIN
        IF p_amount IS NULL OR p_amount <= 0 THEN
          RAISE EXCEPTION 'ledger_reserve: amount must be positive' USING ERRCODE = 'check_violation';
        END IF;
        PERFORM pg_advisory_xact_lock(hashtextextended(p_sandbox || '/' || p_key, 0));
        SELECT * INTO v_existing FROM ledger_pending_transfers t WHERE t.sandbox_id = p_sandbox AND t.key = p_key;
        IF FOUND THEN
          IF v_existing.debit_account_id = p_debit AND v_existing.credit_account_id = p_credit AND v_existing.amount = p_amount THEN
            RETURN QUERY SELECT 'replayed'::text, v_existing.id;
          ELSE
            RETURN QUERY SELECT 'key_reused'::text, v_existing.id;
          END IF;
          RETURN;
        END IF;
        SELECT a.kind INTO v_debit_kind FROM ledger_accounts a WHERE a.sandbox_id = p_sandbox AND a.id = p_debit;
        SELECT a.kind INTO v_credit_kind FROM ledger_accounts a WHERE a.sandbox_id = p_sandbox AND a.id = p_credit;
        IF v_debit_kind IS NULL OR v_credit_kind IS NULL THEN
          RETURN QUERY SELECT 'account_not_found'::text, NULL::text;
          RETURN;
        END IF;
        IF v_debit_kind = 'wallet' THEN
          UPDATE ledger_accounts a SET reserved = a.reserved + p_amount
           WHERE a.sandbox_id = p_sandbox AND a.id = p_debit AND a.balance - a.reserved >= p_amount
             AND (p_code <> 'payment' OR a.holds = 0);
          IF NOT FOUND THEN
            IF p_code = 'payment' AND EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.sandbox_id = p_sandbox AND a.id = p_debit AND a.holds > 0) THEN
              RETURN QUERY SELECT 'wallet_on_hold'::text, NULL::text;
            ELSE
              RETURN QUERY SELECT 'insufficient_balance'::text, NULL::text;
            END IF;
            RETURN;
          END IF;
        END IF;
        INSERT INTO ledger_pending_transfers (sandbox_id, id, key, debit_account_id, credit_account_id, amount, code, metadata, status, created_at, expires_at)
        VALUES (p_sandbox, p_id, p_key, p_debit, p_credit, p_amount, p_code, COALESCE(p_metadata, '{}'), 'pending', p_at, p_expires_at);
        RETURN QUERY SELECT 'reserved'::text, p_id;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION ledger_wallet_on_hold(text, text)`);
    await q.query(`DROP TABLE ledger_wallet_holds`);
    await q.query(`ALTER TABLE ledger_accounts DROP COLUMN holds`);
  }
}
