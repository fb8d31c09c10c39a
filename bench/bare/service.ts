/**
 * The bare baseline of the customer-side scenarios: a minimal Fastify + pg
 * service doing each request's database work, with the same checks as the
 * api, in one round trip per request. Run by bench/support/bare-service.ts
 * as a process of its own, like the api, on the loopback port PORT.
 *
 * Its routes take the api's customers and stores: the runner signs each
 * customer a token of its own (HS256 under BARE_JWT_KEY) naming the api's
 * session, so the session's revocation and expiry are checked as the api
 * checks them.
 */
import { type KeyObject, createHash, createSecretKey, randomBytes } from 'node:crypto';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { newPaymentCode } from '#barcode';
import { MAX_PAYMENT_AMOUNT } from '#capture';
import { newId, sha256Hex } from '#core';

const AUDIENCE = 'bare:customer';
/** Codes live five minutes of sandbox time, as the api's do. */
const CODE_TTL_MS = 5 * 60 * 1000;

export interface BareClaims {
  sandboxId: string;
  userId: string;
  walletId: string;
  sessionId: string;
  deviceId: string;
  /** What the customer may pay without a second factor (the api's step-up allowance), or null when stepped up. */
  allowance: number | null;
}

/**
 * Checks the session is open, the wallet not on hold and what it may still pay without a second factor, retires
 * the wallet's live code, issues the new one and records the idempotency key with its answer.
 */
const ISSUE = `
  WITH session AS (
    SELECT 1 FROM identity_sessions
     WHERE sandbox_id = $1 AND id = $2 AND user_id = $3 AND revoked_at IS NULL AND expires_at > $4
  ), wallet AS (
    SELECT CASE WHEN $11::bigint IS NULL THEN NULL ELSE COALESCE($16::bigint, ledger_wallet_allowance($1, $5, $11, $4)) END AS left_over
      FROM ledger_accounts WHERE sandbox_id = $1 AND id = $5 AND kind = 'wallet' AND holds = 0 AND EXISTS (SELECT 1 FROM session)
  ), retired AS (
    UPDATE barcode_payment_codes SET status = 'retired', sealed_code = NULL
     WHERE sandbox_id = $1 AND wallet_id = $5 AND status = 'active' AND EXISTS (SELECT 1 FROM wallet)
    RETURNING 1
  ), issued AS (
    -- Reading retired makes the UPDATE finish first, so the one-active-code index sees the old code retired.
    INSERT INTO barcode_payment_codes (sandbox_id, id, code_hash, sealed_code, wallet_id, user_id, device_id, step_up_allowance,
                                       status, expires_at, created_at)
    SELECT $1, $6, $7, $8, $5, $3, $9, $11, 'active', $10, $4 FROM wallet
     WHERE (left_over IS NULL OR left_over > 0) AND (SELECT count(*) FROM retired) >= 0
    RETURNING id
  ), recorded AS (
    INSERT INTO idempotency_keys (sandbox_id, principal, key, request_hash, state, claim_token, response_status, response_body,
                                  created_at, expires_at)
    SELECT $1, 'bare:' || $3, $12, $13, 'done', $14, 201, $15, $4, $4 + interval '24 hours' FROM issued
  )
  SELECT (SELECT left_over FROM wallet) AS left_over, EXISTS (SELECT 1 FROM issued) AS issued`;

/** What the wallet may still pay without a second factor, read on its own (Citus). */
const ALLOWANCE = `SELECT ledger_wallet_allowance($1, $2, $3, $4) AS left_over`;

/** The api's capture statement and, when it captured, the idempotency key with its answer. */
const CAPTURE = `
  WITH taken AS (
    SELECT * FROM capture_payment($1, $2, NULL, $3, $4, true, false, NULL, NULL, $5, $6, $7, $8, $9, $10)
  ), recorded AS (
    INSERT INTO idempotency_keys (sandbox_id, principal, key, request_hash, state, claim_token, response_status, response_body,
                                  created_at, expires_at)
    SELECT $1, 'bare:' || $2, $11, $12, 'done', $13, 201, row_to_json(taken)::text, now(), now() + interval '24 hours'
      FROM taken WHERE o_outcome = 'captured'
  )
  SELECT o_outcome, o_amount, o_wallet_id FROM taken`;

/** The wallet's balance and holds, if the session is open. */
const WALLET = `
  SELECT a.balance, a.reserved,
         (SELECT coalesce(json_agg(json_build_object('id', h.hold_id, 'reason', h.reason, 'placedAt', h.placed_at) ORDER BY h.placed_at), '[]')
            FROM ledger_wallet_holds h WHERE h.sandbox_id = $1 AND h.wallet_id = $4) AS holds
    FROM identity_sessions s JOIN ledger_accounts a ON a.sandbox_id = s.sandbox_id AND a.id = $4 AND a.kind = 'wallet'
   WHERE s.sandbox_id = $1 AND s.id = $2 AND s.user_id = $3 AND s.revoked_at IS NULL AND s.expires_at > $5`;

/** The store a register key opens, read once per key: the api caches its store keys too. */
const STORE_OF_KEY = `SELECT sandbox_id, store_id FROM capture_store_keys WHERE key_hash = $1 AND revoked_at IS NULL`;

function claimsOf(request: FastifyRequest, key: KeyObject): BareClaims | null {
  const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  if (!token) return null;
  try {
    const payload = jwt.verify(token, key, { algorithms: ['HS256'], audience: AUDIENCE }) as { bare?: BareClaims };
    return payload.bare ?? null;
  } catch {
    return null;
  }
}

function idempotencyKey(request: FastifyRequest): string | null {
  const key = request.headers['idempotency-key'];
  return typeof key === 'string' && key.length > 0 && key.length <= 255 ? key : null;
}

/** A token for `claims` under `key` (base64url, as BARE_JWT_KEY), as the runner hands them to the baseline's customers. */
export function bareToken(key: string, claims: BareClaims): string {
  return jwt.sign({ bare: claims }, createSecretKey(Buffer.from(key, 'base64url')), {
    algorithm: 'HS256',
    audience: AUDIENCE,
    expiresIn: '1h',
  });
}

async function main(): Promise<void> {
  // A KeyObject, as a careful service keeps it: handed a string, jsonwebtoken first tries it as a public key.
  const key = createSecretKey(Buffer.from(process.env.BARE_JWT_KEY ?? '', 'base64url'));
  const pool = new pg.Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.POOL_SIZE),
    application_name: 'bare-baseline',
  });
  const offsets = new Map<string, number>();
  const stores = new Map<string, { sandboxId: string; storeId: string }>();
  const sandboxNow = async (sandboxId: string): Promise<Date> => {
    let offset = offsets.get(sandboxId);
    if (offset === undefined) {
      const { rows } = await pool.query<{ clock_offset_ms: string }>('SELECT clock_offset_ms FROM sandboxes WHERE id = $1', [sandboxId]);
      offset = Number(rows[0].clock_offset_ms);
      offsets.set(sandboxId, offset);
    }
    return new Date(Date.now() + offset);
  };
  const refuse = (reply: FastifyReply, status: number, code: string) => reply.code(status).send({ code });
  const app = Fastify({ logger: false });

  app.post('/payment-codes', async (request, reply) => {
    const me = claimsOf(request, key);
    const idempotency = idempotencyKey(request);
    if (!me || !idempotency) return refuse(reply, 401, 'unauthenticated');
    const now = await sandboxNow(me.sandboxId);
    const code = newPaymentCode();
    const id = newId('pcd');
    const expiresAt = new Date(now.getTime() + CODE_TTL_MS);
    const answer = { id, code, walletId: me.walletId, expiresAt: expiresAt.toISOString() };
    // On Citus a function that reads tables cannot run inside a statement on a shard: the allowance is read first, on its own.
    const allowance =
      process.env.DATABASE_TOPOLOGY === 'citus' && me.allowance !== null
        ? (await pool.query<{ left_over: string }>(ALLOWANCE, [me.sandboxId, me.walletId, me.allowance, now])).rows[0].left_over
        : null;
    const { rows } = await pool.query<{ left_over: string | null; issued: boolean }>(ISSUE, [
      me.sandboxId,
      me.sessionId,
      me.userId,
      now,
      me.walletId,
      id,
      sha256Hex(code),
      // As wide as a sealed code (the api seals it under a key bound to its row).
      randomBytes(60).toString('base64url'),
      me.deviceId,
      expiresAt,
      me.allowance,
      idempotency,
      createHash('sha256').update(`POST /payment-codes ${me.userId}`).digest('hex'),
      randomBytes(16).toString('hex'),
      JSON.stringify(answer),
      allowance,
    ]);
    if (!rows[0].issued) return refuse(reply, 422, 'not_issued');
    return reply.code(201).send({ ...answer, payableWithoutStepUp: rows[0].left_over === null ? null : Number(rows[0].left_over) });
  });

  app.post<{ Body: { code: string; amount: number } }>('/payments', async (request, reply) => {
    const storeKey = /^Bearer (stk_test_\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    const idempotency = idempotencyKey(request);
    const { code, amount } = request.body;
    if (!storeKey || !idempotency) return refuse(reply, 401, 'unauthenticated');
    if (typeof code !== 'string' || !Number.isInteger(amount) || amount < 1 || amount > MAX_PAYMENT_AMOUNT) {
      return refuse(reply, 400, 'invalid_request');
    }
    const keyHash = sha256Hex(storeKey);
    let store = stores.get(keyHash);
    if (!store) {
      const { rows } = await pool.query<{ sandbox_id: string; store_id: string }>(STORE_OF_KEY, [keyHash]);
      if (!rows[0]) return refuse(reply, 401, 'unauthenticated');
      store = { sandboxId: rows[0].sandbox_id, storeId: rows[0].store_id };
      stores.set(keyHash, store);
    }
    const paymentId = newId('pay');
    const { rows } = await pool.query<{ o_outcome: string; o_amount: string; o_wallet_id: string }>(CAPTURE, [
      store.sandboxId,
      store.storeId,
      sha256Hex(code),
      amount,
      MAX_PAYMENT_AMOUNT,
      paymentId,
      newId('trf'),
      newId('pnd'),
      newId('evt'),
      newId('req'),
      idempotency,
      createHash('sha256').update(`POST /payments ${code} ${amount}`).digest('hex'),
      randomBytes(16).toString('hex'),
    ]);
    if (rows[0].o_outcome !== 'captured') return refuse(reply, 422, rows[0].o_outcome);
    return reply.code(201).send({ id: paymentId, status: 'captured', amount: Number(rows[0].o_amount), walletId: rows[0].o_wallet_id });
  });

  app.get('/wallet', async (request, reply) => {
    const me = claimsOf(request, key);
    if (!me) return refuse(reply, 401, 'unauthenticated');
    const { rows } = await pool.query<{ balance: string; reserved: string; holds: unknown[] }>(WALLET, [
      me.sandboxId,
      me.sessionId,
      me.userId,
      me.walletId,
      await sandboxNow(me.sandboxId),
    ]);
    if (!rows[0]) return refuse(reply, 401, 'unauthenticated');
    const { balance, reserved, holds } = rows[0];
    return {
      id: me.walletId,
      balance: Number(balance),
      available: Number(balance) - Number(reserved),
      status: holds.length > 0 ? 'on_hold' : 'active',
      holds,
    };
  });

  await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
  const stop = (): void => void app.close().then(() => pool.end());
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (process.argv[1] && import.meta.url === new URL(process.argv[1], 'file:').href) await main();
