import { type EventJob, Topic } from '#core';

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
