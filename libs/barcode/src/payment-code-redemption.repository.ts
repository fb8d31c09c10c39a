import { Injectable } from '@nestjs/common';
import { DomainError, type Queryable, sha256Hex } from '#core';

/** A scanned payment code that may pay: what it was issued to. */
export interface RedeemablePaymentCode {
  codeId: string;
  walletId: string;
  userId: string;
  deviceId: string;
}

interface TakenCodeRow {
  o_outcome: 'ok' | 'code_invalid' | 'code_used' | 'code_expired';
  o_code_id: string;
  o_wallet_id: string;
  o_user_id: string;
  o_device_id: string;
}

const REFUSALS: Record<Exclude<TakenCodeRow['o_outcome'], 'ok'>, () => DomainError> = {
  code_invalid: () => new DomainError('code_invalid', 'No such payment code: ask the customer to show a new one'),
  code_used: () => new DomainError('code_used', 'This payment code was already used'),
  code_expired: () => new DomainError('code_expired', 'This payment code has expired: ask the customer to show a new one'),
};

/**
 * How another module redeems a customer's payment code at the register, in
 * its own transaction: take the code (its row stays locked until commit),
 * then mark it used by what it paid for. Codes are kept as their hash; the
 * rules of a code that may pay are barcode's SQL functions.
 */
@Injectable()
export class PaymentCodeRedemption {
  /** The code as scanned, locked until commit; `code_invalid`, `code_used` or `code_expired` when it may not pay. */
  async take(q: Queryable, sandboxId: string, code: string, at: Date): Promise<RedeemablePaymentCode> {
    const [row] = await q.rows<TakenCodeRow>(`SELECT * FROM barcode_take_code($1, $2, $3)`, [sandboxId, sha256Hex(code), at]);
    if (row.o_outcome !== 'ok') throw REFUSALS[row.o_outcome]();
    return { codeId: row.o_code_id, walletId: row.o_wallet_id, userId: row.o_user_id, deviceId: row.o_device_id };
  }

  /** The taken code is used up by `usedFor` (a payment or a top-up), and its sealed copy is forgotten. */
  async use(q: Queryable, sandboxId: string, codeId: string, at: Date, usedFor: string): Promise<void> {
    await q.rows(`SELECT barcode_use_code($1, $2, $3, $4)`, [sandboxId, codeId, at, usedFor]);
  }
}
