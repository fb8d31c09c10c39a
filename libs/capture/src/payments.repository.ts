import { Injectable } from '@nestjs/common';
import { type Page, type Queryable } from '#core';
import type { PaymentFacts } from './capture.events.js';
import { toYen } from '#ledger';

export type PaymentStatus = 'authorized' | 'captured' | 'voided' | 'expired';

export interface Payment {
  id: string;
  storeId: string;
  terminalId: string | null;
  walletId: string;
  userId: string | null;
  method: 'cpm' | 'mpm';
  status: PaymentStatus;
  requestedAmount: number;
  amount: number;
  cashDue: number;
  capturedAmount: number;
  refundedAmount: number;
  pendingId: string | null;
  orderRef: string | null;
  category: string | null;
  createdAt: Date;
  capturedAt: Date | null;
  expiresAt: Date | null;
}

interface PaymentRow {
  id: string;
  store_id: string;
  terminal_id: string | null;
  wallet_id: string;
  user_id: string | null;
  method: 'cpm' | 'mpm';
  status: PaymentStatus;
  requested_amount: string;
  amount: string;
  cash_due: string;
  captured_amount: string;
  refunded_amount: string;
  pending_id: string | null;
  order_ref: string | null;
  category: string | null;
  created_at: Date;
  captured_at: Date | null;
  expires_at: Date | null;
}

const toPayment = (row: PaymentRow): Payment => ({
  id: row.id,
  storeId: row.store_id,
  terminalId: row.terminal_id,
  walletId: row.wallet_id,
  userId: row.user_id,
  method: row.method,
  status: row.status,
  requestedAmount: toYen(row.requested_amount),
  amount: toYen(row.amount),
  cashDue: toYen(row.cash_due),
  capturedAmount: toYen(row.captured_amount),
  refundedAmount: toYen(row.refunded_amount),
  pendingId: row.pending_id,
  orderRef: row.order_ref,
  category: row.category,
  createdAt: row.created_at,
  capturedAt: row.captured_at,
  expiresAt: row.expires_at,
});

/** What capture_payment answers: the outcome, and for a payment taken what it became. */
export interface CaptureOutcome {
  outcome: string;
  status: 'captured' | 'authorized' | null;
  walletId: string | null;
  /** The payment's amount; for insufficient_balance, what the wallet had available. */
  amount: number;
  cashDue: number;
  createdAt: Date | null;
  expiresAt: Date | null;
}

interface CaptureRow {
  o_outcome: string;
  o_status: 'captured' | 'authorized' | null;
  o_wallet_id: string | null;
  o_amount: string | null;
  o_cash_due: string | null;
  o_created_at: Date | null;
  o_expires_at: Date | null;
}

@Injectable()
export class PaymentsRepository {
  /**
   * Takes a scanned code's payment in one round trip (capture_payment):
   * the code, the wallet's hold and balance, the ledger, the payment row
   * and its event.
   */
  async capture(
    q: Queryable,
    args: {
      sandboxId: string;
      storeId: string;
      terminalId: string | null;
      codeHash: string;
      amount: number;
      capture: boolean;
      allowPartial: boolean;
      orderRef: string | null;
      category: string | null;
      maxAmount: number;
      paymentId: string;
      transferId: string;
      pendingId: string;
      eventId: string;
      requestId: string | null;
    },
  ): Promise<CaptureOutcome> {
    const [row] = await q.rows<CaptureRow>(
      `SELECT * FROM capture_payment($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        args.sandboxId,
        args.storeId,
        args.terminalId,
        args.codeHash,
        args.amount,
        args.capture,
        args.allowPartial,
        args.orderRef,
        args.category,
        args.maxAmount,
        args.paymentId,
        args.transferId,
        args.pendingId,
        args.eventId,
        args.requestId,
      ],
    );
    return {
      outcome: row.o_outcome,
      status: row.o_status,
      walletId: row.o_wallet_id,
      amount: toYen(row.o_amount),
      cashDue: toYen(row.o_cash_due),
      createdAt: row.o_created_at,
      expiresAt: row.o_expires_at,
    };
  }

  /** A payment as its store (or the operator, with no store) may see it; another store's payment is not found. */
  async find(q: Queryable, sandboxId: string, paymentId: string, storeId: string | null, lock = false): Promise<Payment | null> {
    const [row] = await q.rows<PaymentRow>(
      `SELECT * FROM capture_payments WHERE sandbox_id = $1 AND id = $2 AND ($3::text IS NULL OR store_id = $3) ${lock ? 'FOR UPDATE' : ''}`,
      [sandboxId, paymentId, storeId],
    );
    return row ? toPayment(row) : null;
  }

  /** Payments newest first: a store's own (storeId), or the sandbox's; optionally one terminal's. */
  /** What the payment's events say, from its row as it is now (capture_payment_facts, the one builder). */
  async facts(q: Queryable, sandboxId: string, paymentId: string): Promise<PaymentFacts> {
    const [row] = await q.rows<{ facts: PaymentFacts }>(
      // ROW(p.*): on Citus the row comes from a shard, whose row type is the shard's, not the table's.
      `SELECT capture_payment_facts(ROW(p.*)::capture_payments) AS facts FROM capture_payments p WHERE p.sandbox_id = $1 AND p.id = $2`,
      [sandboxId, paymentId],
    );
    if (!row) throw new Error(`capture: payment ${paymentId} is missing`);
    return row.facts;
  }

  async list(
    q: Queryable,
    sandboxId: string,
    query: { storeId: string | null; terminalId?: string; limit: number; startingAfter?: string },
  ): Promise<Page<Payment>> {
    const rows = await q.rows<PaymentRow>(
      `SELECT * FROM capture_payments
        WHERE sandbox_id = $1 AND ($2::text IS NULL OR store_id = $2) AND ($3::text IS NULL OR terminal_id = $3)
          AND ($4::text IS NULL OR id < $4)
        ORDER BY id DESC LIMIT $5`,
      [sandboxId, query.storeId, query.terminalId ?? null, query.startingAfter ?? null, query.limit + 1],
    );
    return { data: rows.slice(0, query.limit).map(toPayment), has_more: rows.length > query.limit };
  }

  async findByPending(q: Queryable, sandboxId: string, pendingId: string): Promise<Payment | null> {
    const [row] = await q.rows<PaymentRow>(`SELECT * FROM capture_payments WHERE sandbox_id = $1 AND pending_id = $2 FOR UPDATE`, [
      sandboxId,
      pendingId,
    ]);
    return row ? toPayment(row) : null;
  }

  /** The wallet's payments still authorized that were made since a time, oldest first. */
  async authorizedSince(q: Queryable, sandboxId: string, walletId: string, since: Date): Promise<string[]> {
    const rows = await q.rows<{ id: string }>(
      `SELECT id FROM capture_payments WHERE sandbox_id = $1 AND wallet_id = $2 AND status = 'authorized' AND created_at >= $3 ORDER BY id`,
      [sandboxId, walletId, since],
    );
    return rows.map((r) => r.id);
  }

  async markCaptured(q: Queryable, sandboxId: string, paymentId: string, amount: number, transferId: string, at: Date): Promise<void> {
    await q.rows(
      `UPDATE capture_payments SET status = 'captured', amount = $3, captured_amount = $3, transfer_id = $4, captured_at = $5
        WHERE sandbox_id = $1 AND id = $2`,
      [sandboxId, paymentId, amount, transferId, at],
    );
  }

  /** Moves an authorization to voided or expired; false if it was no longer authorized. */
  async endAuthorization(q: Queryable, sandboxId: string, paymentId: string, status: 'voided' | 'expired', at: Date): Promise<boolean> {
    const rows = await q.rows(
      `UPDATE capture_payments SET status = $3, voided_at = $4 WHERE sandbox_id = $1 AND id = $2 AND status = 'authorized' RETURNING id`,
      [sandboxId, paymentId, status, at],
    );
    return rows.length === 1;
  }

  async addRefund(
    q: Queryable,
    refund: { sandboxId: string; id: string; paymentId: string; amount: number; transferId: string; at: Date },
  ): Promise<number> {
    await q.rows(
      `INSERT INTO capture_refunds (sandbox_id, id, payment_id, amount, transfer_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [refund.sandboxId, refund.id, refund.paymentId, refund.amount, refund.transferId, refund.at],
    );
    const [row] = await q.rows<{ refunded_amount: string }>(
      `UPDATE capture_payments SET refunded_amount = refunded_amount + $3 WHERE sandbox_id = $1 AND id = $2 RETURNING refunded_amount`,
      [refund.sandboxId, refund.paymentId, refund.amount],
    );
    return toYen(row.refunded_amount);
  }

  async insertDirect(
    q: Queryable,
    p: {
      sandboxId: string;
      id: string;
      storeId: string;
      terminalId: string | null;
      walletId: string;
      userId: string;
      amount: number;
      transferId: string;
      at: Date;
    },
  ): Promise<void> {
    await q.rows(
      `INSERT INTO capture_payments (sandbox_id, id, store_id, terminal_id, wallet_id, user_id, method, status, requested_amount, amount, captured_amount, transfer_id, created_at, captured_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'mpm', 'captured', $7, $7, $7, $8, $9, $9)`,
      [p.sandboxId, p.id, p.storeId, p.terminalId, p.walletId, p.userId, p.amount, p.transferId, p.at],
    );
  }

  /** A sandbox reset wipes its payments and their refunds. */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    await q.rows(`DELETE FROM capture_refunds WHERE sandbox_id = $1`, [sandboxId]);
    await q.rows(`DELETE FROM capture_payments WHERE sandbox_id = $1`, [sandboxId]);
  }
}
