import { Injectable } from '@nestjs/common';
import { type EventJob, type Queryable, Topic } from '#core';

/** The events the fraud engine keeps, one row each (the event id makes redelivery a no-op). */
export type ObservedTopic =
  | Topic.LoginFailed
  | Topic.LoginSucceeded
  | Topic.PasswordResetCompleted
  | Topic.CardAdded
  | Topic.TopupRequested
  | Topic.TopupSucceeded
  | Topic.PaymentCaptured
  | Topic.PaymentRefunded
  | Topic.StoreInvalidCodes;

export interface Observation {
  eventId: string;
  kind: string;
  walletId: string | null;
  userId: string | null;
  ip: string | null;
  accountKey: string | null;
  deviceHash: string | null;
  storeId: string | null;
  refId: string | null;
  channel: string | null;
  category: string | null;
  amount: number | null;
  flags: Record<string, unknown>;
  at: Date;
}

/** What to remember of an event, by its type. */
export function observationOf(event: EventJob): Observation {
  const base = {
    eventId: event.eventId,
    walletId: null,
    userId: null,
    ip: null,
    accountKey: null,
    deviceHash: null,
    storeId: null,
    refId: null,
    channel: null,
    category: null,
    amount: null,
    flags: {},
    at: new Date(event.occurredAt),
  };
  const { type, data } = event as EventJob<ObservedTopic>;
  switch (type) {
    case Topic.LoginFailed: {
      const d = data as EventJob<Topic.LoginFailed>['data'];
      return {
        ...base,
        kind: 'login_failed',
        userId: d.userId,
        accountKey: d.email,
        ip: d.ip,
        deviceHash: d.deviceHash,
        flags: { reason: d.reason },
      };
    }
    case Topic.LoginSucceeded: {
      const d = data as EventJob<Topic.LoginSucceeded>['data'];
      return {
        ...base,
        kind: 'login',
        userId: d.userId,
        walletId: d.walletId,
        ip: d.ip,
        deviceHash: d.deviceHash,
        refId: d.deviceId,
        flags: { newDevice: d.newDevice, secondFactor: d.secondFactor },
      };
    }
    case Topic.PasswordResetCompleted: {
      const d = data as EventJob<Topic.PasswordResetCompleted>['data'];
      return { ...base, kind: 'password_reset', userId: d.userId, walletId: d.walletId, ip: d.ip };
    }
    case Topic.CardAdded: {
      const d = data as EventJob<Topic.CardAdded>['data'];
      return { ...base, kind: 'card_added', userId: d.userId, walletId: d.walletId, refId: d.cardId };
    }
    case Topic.TopupRequested:
    case Topic.TopupSucceeded: {
      const d = data as EventJob<Topic.TopupRequested>['data'];
      return {
        ...base,
        kind: type === Topic.TopupRequested ? 'topup_requested' : 'topup_succeeded',
        userId: d.userId,
        walletId: d.walletId,
        refId: d.topupId,
        channel: d.channel,
        amount: d.amount,
        storeId: d.storeId,
        flags: { cardId: d.cardId },
      };
    }
    case Topic.PaymentCaptured: {
      const d = data as EventJob<Topic.PaymentCaptured>['data'];
      return {
        ...base,
        kind: 'payment',
        userId: d.userId,
        walletId: d.walletId,
        storeId: d.storeId,
        refId: d.paymentId,
        amount: d.amount,
        category: d.category,
        flags: { walletBalance: d.walletBalance ?? null },
      };
    }
    case Topic.PaymentRefunded: {
      const d = data as EventJob<Topic.PaymentRefunded>['data'];
      return {
        ...base,
        kind: 'refund',
        userId: d.userId,
        walletId: d.walletId,
        storeId: d.storeId,
        refId: d.paymentId,
        amount: d.refundAmount,
      };
    }
    case Topic.StoreInvalidCodes: {
      const d = data as EventJob<Topic.StoreInvalidCodes>['data'];
      return {
        ...base,
        kind: 'store_invalid_codes',
        storeId: d.storeId,
        refId: d.keyId,
        flags: { invalidCodes: d.invalidCodes, windowSeconds: d.windowSeconds },
      };
    }
  }
}

@Injectable()
export class Observations {
  /** Records an observation; false when this event was already seen (a redelivery). */
  async record(q: Queryable, sandboxId: string, o: Observation, score = 0): Promise<boolean> {
    const rows = await q.rows(
      `INSERT INTO fraud_observations (sandbox_id, event_id, kind, wallet_id, user_id, ip, account_key, device_hash, store_id, ref_id, channel, category, amount, score, flags, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
       ON CONFLICT (sandbox_id, event_id) DO NOTHING RETURNING 1`,
      [
        sandboxId,
        o.eventId,
        o.kind,
        o.walletId,
        o.userId,
        o.ip,
        o.accountKey,
        o.deviceHash,
        o.storeId,
        o.refId,
        o.channel,
        o.category,
        o.amount,
        score,
        JSON.stringify(o.flags),
        o.at,
      ],
    );
    return rows.length === 1;
  }

  async hasSignedInBefore(q: Queryable, sandboxId: string, o: Observation): Promise<boolean> {
    const rows = await q.rows(
      `SELECT 1 FROM fraud_observations WHERE sandbox_id = $1 AND user_id = $2 AND kind = 'login' AND occurred_at < $3 LIMIT 1`,
      [sandboxId, o.userId, o.at],
    );
    return rows.length > 0;
  }

  async setScore(q: Queryable, sandboxId: string, eventId: string, score: number): Promise<void> {
    await q.rows(`UPDATE fraud_observations SET score = $3 WHERE sandbox_id = $1 AND event_id = $2`, [sandboxId, eventId, score]);
  }
}
