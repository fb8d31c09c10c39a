import { DomainError } from '#core';

/** The most one payment may be, in yen. */
export const MAX_PAYMENT_AMOUNT = 500_000;

export const paymentLimitExceeded = (): DomainError =>
  new DomainError('limit_exceeded', `A payment may be at most ¥${MAX_PAYMENT_AMOUNT}`, {
    limit: 'max_payment_amount',
    max: MAX_PAYMENT_AMOUNT,
  });
