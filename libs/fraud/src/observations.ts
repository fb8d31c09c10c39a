import { type EventJob } from '#core';

/** The events the fraud engine keeps, one row each (the event id makes redelivery a no-op). */
export type ObservedTopic =
  | 'auth.login_failed'
  | 'auth.login_succeeded'
  | 'auth.password_reset_completed'
  | 'card.added'
  | 'topup.requested'
  | 'topup.succeeded'
  | 'payment.captured'
  | 'payment.refunded'
  | 'store.invalid_codes';

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
    case 'auth.login_failed': {
      const d = data as EventJob<'auth.login_failed'>['data'];
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
    case 'auth.login_succeeded': {
      const d = data as EventJob<'auth.login_succeeded'>['data'];
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
    case 'auth.password_reset_completed': {
      const d = data as EventJob<'auth.password_reset_completed'>['data'];
      return { ...base, kind: 'password_reset', userId: d.userId, walletId: d.walletId, ip: d.ip };
    }
    case 'card.added': {
      const d = data as EventJob<'card.added'>['data'];
      return { ...base, kind: 'card_added', userId: d.userId, walletId: d.walletId, refId: d.cardId };
    }
    case 'topup.requested':
    case 'topup.succeeded': {
      const d = data as EventJob<'topup.requested'>['data'];
      return {
        ...base,
        kind: type === 'topup.requested' ? 'topup_requested' : 'topup_succeeded',
        userId: d.userId,
        walletId: d.walletId,
        refId: d.topupId,
        channel: d.channel,
        amount: d.amount,
        storeId: d.storeId,
        flags: { cardId: d.cardId },
      };
    }
    case 'payment.captured': {
      const d = data as EventJob<'payment.captured'>['data'];
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
    case 'payment.refunded': {
      const d = data as EventJob<'payment.refunded'>['data'];
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
    case 'store.invalid_codes': {
      const d = data as EventJob<'store.invalid_codes'>['data'];
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
