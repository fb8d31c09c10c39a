import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The double-entry ledger. Wallets (which may never go negative) keep their
 * balance in place, updated by the statement that checks it; store and
 * system accounts only append entries, so a chain's hot store account is
 * never a row lock every payment waits on. Postings are PL/pgSQL functions:
 * one round trip each, atomic, and idempotent by transfer key.
 */
export class Ledger1764000002000 implements MigrationInterface {
  name = 'Ledger1764000002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_accounts (
        sandbox_id text NOT NULL,
        id         text NOT NULL,
        kind       text NOT NULL CHECK (kind IN ('wallet', 'store', 'system')),
        balance    bigint NOT NULL DEFAULT 0,
        reserved   bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (sandbox_id, id),
        CONSTRAINT ledger_accounts_only_wallets_tracked CHECK (kind = 'wallet' OR (balance = 0 AND reserved = 0)),
        CONSTRAINT ledger_accounts_never_negative CHECK (reserved >= 0 AND balance >= reserved)
      )`);
    await q.query(`
      CREATE TABLE ledger_transfers (
        sandbox_id        text NOT NULL,
        id                text NOT NULL,
        key               text NOT NULL,
        debit_account_id  text NOT NULL,
        credit_account_id text NOT NULL,
        amount            bigint NOT NULL CHECK (amount > 0),
        code              text NOT NULL,
        pending_id        text,
        metadata          jsonb NOT NULL DEFAULT '{}',
        posted_at         timestamptz NOT NULL,
        PRIMARY KEY (sandbox_id, id),
        UNIQUE (sandbox_id, key),
        CHECK (debit_account_id <> credit_account_id)
      )`);
    await q.query(`
      CREATE TABLE ledger_entries (
        sandbox_id  text NOT NULL,
        account_id  text NOT NULL,
        transfer_id text NOT NULL,
        amount      bigint NOT NULL CHECK (amount <> 0),
        posted_at   timestamptz NOT NULL,
        PRIMARY KEY (sandbox_id, account_id, transfer_id)
      )`);
    await q.query(`
      CREATE TABLE ledger_pending_transfers (
        sandbox_id        text NOT NULL,
        id                text NOT NULL,
        key               text NOT NULL,
        debit_account_id  text NOT NULL,
        credit_account_id text NOT NULL,
        amount            bigint NOT NULL CHECK (amount > 0),
        code              text NOT NULL,
        metadata          jsonb NOT NULL DEFAULT '{}',
        status            text NOT NULL CHECK (status IN ('pending', 'posted', 'voided', 'expired')),
        created_at        timestamptz NOT NULL,
        expires_at        timestamptz,
        resolved_at       timestamptz,
        posted_amount     bigint CHECK (posted_amount > 0 AND posted_amount <= amount),
        transfer_id       text,
        PRIMARY KEY (sandbox_id, id),
        UNIQUE (sandbox_id, key),
        CHECK (debit_account_id <> credit_account_id),
        CHECK ((status = 'posted') = (transfer_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX ledger_pending_due ON ledger_pending_transfers (sandbox_id, expires_at) WHERE status = 'pending'`);

    await q.query(`
      CREATE FUNCTION ledger_transfer(
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
          RETURNING a.balance INTO v_debit_balance;
          IF NOT FOUND THEN
            RETURN QUERY SELECT 'insufficient_balance'::text, NULL::text, NULL::bigint, NULL::bigint;
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
      CREATE FUNCTION ledger_reserve(
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
           WHERE a.sandbox_id = p_sandbox AND a.id = p_debit AND a.balance - a.reserved >= p_amount;
          IF NOT FOUND THEN
            RETURN QUERY SELECT 'insufficient_balance'::text, NULL::text;
            RETURN;
          END IF;
        END IF;
        INSERT INTO ledger_pending_transfers (sandbox_id, id, key, debit_account_id, credit_account_id, amount, code, metadata, status, created_at, expires_at)
        VALUES (p_sandbox, p_id, p_key, p_debit, p_credit, p_amount, p_code, COALESCE(p_metadata, '{}'), 'pending', p_at, p_expires_at);
        RETURN QUERY SELECT 'reserved'::text, p_id;
      END $$`);

    await q.query(`
      CREATE FUNCTION ledger_post_pending(
        p_sandbox text, p_pending_id text, p_amount bigint, p_transfer_id text, p_at timestamptz)
      RETURNS TABLE (o_outcome text, o_transfer_id text, o_amount bigint, o_status text)
      LANGUAGE plpgsql AS $$
      DECLARE
        v ledger_pending_transfers%ROWTYPE;
        v_amount bigint;
        v_debit_kind text;
        v_credit_kind text;
      BEGIN
        SELECT * INTO v FROM ledger_pending_transfers t WHERE t.sandbox_id = p_sandbox AND t.id = p_pending_id FOR UPDATE;
        IF NOT FOUND THEN
          RETURN QUERY SELECT 'not_found'::text, NULL::text, NULL::bigint, NULL::text;
          RETURN;
        END IF;
        IF v.status <> 'pending' THEN
          RETURN QUERY SELECT 'not_pending'::text, v.transfer_id, v.posted_amount, v.status;
          RETURN;
        END IF;
        IF v.expires_at IS NOT NULL AND v.expires_at <= p_at THEN
          -- Past due but not yet swept: refuse; the expiry sweep releases it and says so.
          RETURN QUERY SELECT 'not_pending'::text, NULL::text, NULL::bigint, 'expired'::text;
          RETURN;
        END IF;
        v_amount := COALESCE(p_amount, v.amount);
        IF v_amount <= 0 OR v_amount > v.amount THEN
          RETURN QUERY SELECT 'amount_exceeds_pending'::text, NULL::text, v.amount, v.status;
          RETURN;
        END IF;
        SELECT a.kind INTO v_debit_kind FROM ledger_accounts a WHERE a.sandbox_id = p_sandbox AND a.id = v.debit_account_id;
        SELECT a.kind INTO v_credit_kind FROM ledger_accounts a WHERE a.sandbox_id = p_sandbox AND a.id = v.credit_account_id;
        IF v_debit_kind = 'wallet' AND v_credit_kind = 'wallet' THEN
          PERFORM 1 FROM ledger_accounts a WHERE a.sandbox_id = p_sandbox AND a.id IN (v.debit_account_id, v.credit_account_id) ORDER BY a.id FOR UPDATE;
        END IF;
        IF v_debit_kind = 'wallet' THEN
          -- The reservation guaranteed the funds; release all of it and take what is posted.
          UPDATE ledger_accounts a SET reserved = a.reserved - v.amount, balance = a.balance - v_amount
           WHERE a.sandbox_id = p_sandbox AND a.id = v.debit_account_id;
        END IF;
        IF v_credit_kind = 'wallet' THEN
          UPDATE ledger_accounts a SET balance = a.balance + v_amount
           WHERE a.sandbox_id = p_sandbox AND a.id = v.credit_account_id;
        END IF;
        INSERT INTO ledger_transfers (sandbox_id, id, key, debit_account_id, credit_account_id, amount, code, pending_id, metadata, posted_at)
        VALUES (p_sandbox, p_transfer_id, v.key || '/post', v.debit_account_id, v.credit_account_id, v_amount, v.code, v.id, v.metadata, p_at);
        INSERT INTO ledger_entries (sandbox_id, account_id, transfer_id, amount, posted_at)
        VALUES (p_sandbox, v.debit_account_id, p_transfer_id, -v_amount, p_at), (p_sandbox, v.credit_account_id, p_transfer_id, v_amount, p_at);
        UPDATE ledger_pending_transfers t SET status = 'posted', posted_amount = v_amount, transfer_id = p_transfer_id, resolved_at = p_at
         WHERE t.sandbox_id = p_sandbox AND t.id = p_pending_id;
        RETURN QUERY SELECT 'posted'::text, p_transfer_id, v_amount, 'posted'::text;
      END $$`);

    await q.query(`
      CREATE FUNCTION ledger_release_pending(
        p_sandbox text, p_pending_id text, p_status text, p_at timestamptz)
      RETURNS TABLE (o_outcome text, o_status text)
      LANGUAGE plpgsql AS $$
      DECLARE
        v ledger_pending_transfers%ROWTYPE;
      BEGIN
        IF p_status NOT IN ('voided', 'expired') THEN
          RAISE EXCEPTION 'ledger_release_pending: status must be voided or expired' USING ERRCODE = 'check_violation';
        END IF;
        SELECT * INTO v FROM ledger_pending_transfers t WHERE t.sandbox_id = p_sandbox AND t.id = p_pending_id FOR UPDATE;
        IF NOT FOUND THEN
          RETURN QUERY SELECT 'not_found'::text, NULL::text;
          RETURN;
        END IF;
        IF v.status <> 'pending' THEN
          RETURN QUERY SELECT 'not_pending'::text, v.status;
          RETURN;
        END IF;
        IF p_status = 'expired' AND (v.expires_at IS NULL OR v.expires_at > p_at) THEN
          RETURN QUERY SELECT 'not_due'::text, v.status;
          RETURN;
        END IF;
        UPDATE ledger_accounts a SET reserved = a.reserved - v.amount
         WHERE a.sandbox_id = p_sandbox AND a.id = v.debit_account_id AND a.kind = 'wallet';
        UPDATE ledger_pending_transfers t SET status = p_status, resolved_at = p_at
         WHERE t.sandbox_id = p_sandbox AND t.id = p_pending_id;
        RETURN QUERY SELECT 'released'::text, p_status;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION ledger_release_pending(text, text, text, timestamptz)`);
    await q.query(`DROP FUNCTION ledger_post_pending(text, text, bigint, text, timestamptz)`);
    await q.query(`DROP FUNCTION ledger_reserve(text, text, text, text, text, bigint, text, jsonb, timestamptz, timestamptz)`);
    await q.query(`DROP FUNCTION ledger_transfer(text, text, text, text, text, bigint, text, jsonb, timestamptz, text)`);
    await q.query(`DROP TABLE ledger_pending_transfers`);
    await q.query(`DROP TABLE ledger_entries`);
    await q.query(`DROP TABLE ledger_transfers`);
    await q.query(`DROP TABLE ledger_accounts`);
  }
}
