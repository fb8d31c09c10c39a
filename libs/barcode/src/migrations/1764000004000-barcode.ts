import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Customer-presented payment codes. The code is stored as its SHA-256 (the
 * lookup key) and, only while it is live, sealed (AES-GCM) so its owner can
 * have it rendered; using or replacing it drops the sealed copy.
 */
export class Barcode1764000004000 implements MigrationInterface {
  name = 'Barcode1764000004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE barcode_payment_codes (
        sandbox_id  text NOT NULL,
        id          text NOT NULL,
        code_hash   text NOT NULL,
        sealed_code text,
        wallet_id   text NOT NULL,
        user_id     text NOT NULL,
        device_id   text NOT NULL,
        status      text NOT NULL CHECK (status IN ('active', 'used', 'retired')),
        expires_at  timestamptz NOT NULL,
        created_at  timestamptz NOT NULL,
        used_at     timestamptz,
        payment_id  text,
        PRIMARY KEY (sandbox_id, id),
        UNIQUE (sandbox_id, code_hash)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX barcode_one_active_code_per_wallet ON barcode_payment_codes (sandbox_id, wallet_id) WHERE status = 'active'`,
    );

    // Locks the code for the capture that scanned it: concurrent scans of one code queue here.
    await q.query(`
      CREATE FUNCTION barcode_take_code(p_sandbox text, p_code_hash text, p_now timestamptz)
      RETURNS TABLE (o_outcome text, o_code_id text, o_wallet_id text, o_user_id text, o_device_id text)
      LANGUAGE plpgsql AS $$
      DECLARE
        v barcode_payment_codes%ROWTYPE;
      BEGIN
        SELECT * INTO v FROM barcode_payment_codes c WHERE c.sandbox_id = p_sandbox AND c.code_hash = p_code_hash FOR UPDATE;
        IF NOT FOUND OR v.status = 'retired' THEN
          RETURN QUERY SELECT 'code_invalid'::text, NULL::text, NULL::text, NULL::text, NULL::text;
        ELSIF v.status = 'used' THEN
          RETURN QUERY SELECT 'code_used'::text, v.id, v.wallet_id, v.user_id, v.device_id;
        ELSIF v.expires_at <= p_now THEN
          RETURN QUERY SELECT 'code_expired'::text, v.id, v.wallet_id, v.user_id, v.device_id;
        ELSE
          RETURN QUERY SELECT 'ok'::text, v.id, v.wallet_id, v.user_id, v.device_id;
        END IF;
      END $$`);
    await q.query(`
      CREATE FUNCTION barcode_use_code(p_sandbox text, p_code_id text, p_now timestamptz, p_payment_id text)
      RETURNS void LANGUAGE sql AS $$
        UPDATE barcode_payment_codes SET status = 'used', used_at = p_now, payment_id = p_payment_id, sealed_code = NULL
         WHERE sandbox_id = p_sandbox AND id = p_code_id AND status = 'active'
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION barcode_use_code(text, text, timestamptz, text)`);
    await q.query(`DROP FUNCTION barcode_take_code(text, text, timestamptz)`);
    await q.query(`DROP TABLE barcode_payment_codes`);
  }
}
