import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Top-ups and what funds them: cards (brand, last4 and a network token
 * only), bank accounts (last4 and a token), ATM deposit codes (hashed),
 * points balances, per-sandbox limits and gateway behaviour, and each
 * wallet's daily usage (the row that makes the daily cap exact under
 * concurrency).
 */
export class Topup1764000007000 implements MigrationInterface {
  name = 'Topup1764000007000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE topup_settings (
        sandbox_id text PRIMARY KEY,
        limits     jsonb NOT NULL DEFAULT '{}',
        gateway    jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`
      CREATE TABLE topup_cards (
        sandbox_id    text NOT NULL,
        id            text NOT NULL,
        user_id       text NOT NULL,
        wallet_id     text NOT NULL,
        brand         text NOT NULL,
        last4         text NOT NULL,
        exp_month     integer NOT NULL,
        exp_year      integer NOT NULL,
        network_token text NOT NULL,
        created_at    timestamptz NOT NULL,
        removed_at    timestamptz,
        PRIMARY KEY (sandbox_id, id)
      )`);
    // The simulated card network's own record: how each token it issued behaves.
    await q.query(`
      CREATE TABLE topup_network_tokens (
        token      text PRIMARY KEY,
        sandbox_id text NOT NULL,
        behavior   text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE topup_bank_accounts (
        sandbox_id   text NOT NULL,
        id           text NOT NULL,
        user_id      text NOT NULL,
        bank_code    text NOT NULL,
        branch_code  text NOT NULL,
        last4        text NOT NULL,
        holder       text NOT NULL,
        behavior     text NOT NULL,
        created_at   timestamptz NOT NULL,
        PRIMARY KEY (sandbox_id, id)
      )`);
    await q.query(`
      CREATE TABLE topup_topups (
        sandbox_id      text NOT NULL,
        id              text NOT NULL,
        wallet_id       text NOT NULL,
        user_id         text,
        channel         text NOT NULL CHECK (channel IN ('card', 'bank_debit', 'atm', 'register_cash', 'points')),
        amount          bigint NOT NULL CHECK (amount > 0),
        status          text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'held', 'canceled')),
        failure_code    text,
        card_id         text,
        bank_account_id text,
        store_id        text,
        next_action     jsonb,
        three_ds_hash   text,
        three_ds_tries  integer NOT NULL DEFAULT 0,
        authorization_id text,
        transfer_id     text,
        pending_id      text,
        usage_day       date NOT NULL,
        created_at      timestamptz NOT NULL,
        updated_at      timestamptz NOT NULL,
        PRIMARY KEY (sandbox_id, id)
      )`);
    await q.query(`CREATE INDEX topup_topups_open_by_wallet ON topup_topups (sandbox_id, wallet_id) WHERE status IN ('pending', 'held')`);
    await q.query(`
      CREATE TABLE topup_atm_codes (
        sandbox_id text NOT NULL,
        code_hash  text NOT NULL,
        topup_id   text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at    timestamptz,
        PRIMARY KEY (sandbox_id, code_hash)
      )`);
    await q.query(`
      CREATE TABLE topup_points (
        sandbox_id text NOT NULL,
        wallet_id  text NOT NULL,
        balance    bigint NOT NULL CHECK (balance >= 0),
        PRIMARY KEY (sandbox_id, wallet_id)
      )`);
    await q.query(`
      CREATE TABLE topup_daily_usage (
        sandbox_id text NOT NULL,
        wallet_id  text NOT NULL,
        day        date NOT NULL,
        amount     bigint NOT NULL CHECK (amount >= 0),
        PRIMARY KEY (sandbox_id, wallet_id, day)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'topup_daily_usage',
      'topup_points',
      'topup_atm_codes',
      'topup_topups',
      'topup_bank_accounts',
      'topup_network_tokens',
      'topup_cards',
      'topup_settings',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
