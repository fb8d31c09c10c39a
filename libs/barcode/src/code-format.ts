import { randomInt } from 'node:crypto';

/**
 * Customer-presented payment codes: 22 digits, as a register's scanner reads
 * them from a barcode or QR.
 *
 *   79 | 19 random digits (63 bits) | check digit
 *
 * `79` is Wallet Sandbox's provider prefix (Japanese code payments route by
 * a 2-digit prefix); the check digit is Luhn's, so a misread digit is caught
 * at the register before any lookup.
 */
export const PROVIDER_PREFIX = '79';
export const CODE_LENGTH = 22;
const RANDOM_DIGITS = 19;

export function luhnCheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

export function newPaymentCode(): string {
  let random = '';
  for (let i = 0; i < RANDOM_DIGITS; i++) random += String(randomInt(10));
  const body = `${PROVIDER_PREFIX}${random}`;
  return `${body}${luhnCheckDigit(body)}`;
}

export const CODE_SHAPE = /^\d{22}$/;

/** Digits of the right length, our prefix, and a check digit that matches. */
export function isValidPaymentCode(code: string): boolean {
  return CODE_SHAPE.test(code) && code.startsWith(PROVIDER_PREFIX) && luhnCheckDigit(code.slice(0, -1)) === code.slice(-1);
}
