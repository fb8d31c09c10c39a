import { DomainError } from '#core';

/** The most one payment may be, in yen. */
export const MAX_PAYMENT_AMOUNT = 500_000;

export const paymentLimitExceeded = (): DomainError =>
  new DomainError('limit_exceeded', `A payment may be at most ¥${MAX_PAYMENT_AMOUNT}`, {
    limit: 'max_payment_amount',
    max: MAX_PAYMENT_AMOUNT,
  });

/** A code shown without a recent second factor asked for more than is left of the wallet's step-up allowance. */
export const stepUpAllowanceExceeded = (left: number): DomainError =>
  new DomainError(
    'limit_exceeded',
    `This code pays at most ¥${left} without a second factor: the customer confirms in the app and shows a new code`,
    { limit: 'step_up_allowance', max: left },
  );
