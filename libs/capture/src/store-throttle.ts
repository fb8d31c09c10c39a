import { Injectable } from '@nestjs/common';
import { RateLimiterRes, type RateLimiterStoreAbstract } from 'rate-limiter-flexible';
import { DomainError, ThrottleCounters } from '#core';

/** A register that submits this many unknown codes in 5 minutes is guessing: it is blocked for 15. */
export const INVALID_CODES_PER_WINDOW = 20;
export const INVALID_CODE_WINDOW_SECONDS = 5 * 60;
const BLOCK_SECONDS = 15 * 60;

@Injectable()
export class StoreThrottle {
  private readonly invalid: RateLimiterStoreAbstract;

  constructor(counters: ThrottleCounters) {
    this.invalid = counters.limiter('store-invalid-codes', INVALID_CODES_PER_WINDOW, INVALID_CODE_WINDOW_SECONDS);
  }

  async assertAllowed(sandboxId: string, keyId: string): Promise<void> {
    const state = await this.invalid.get(`${sandboxId}:${keyId}`);
    if (state && state.consumedPoints > this.invalid.points) {
      const seconds = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
      throw new DomainError(
        'rate_limited',
        'Too many invalid codes from this register',
        { retryAfterSeconds: seconds },
        { 'Retry-After': String(seconds) },
      );
    }
  }

  /** Counts an unknown code; true when this one crossed the limit (the register is now blocked). */
  async recordInvalid(sandboxId: string, keyId: string): Promise<boolean> {
    const key = `${sandboxId}:${keyId}`;
    const state = await this.invalid.consume(key).catch((outcome: unknown) => {
      if (outcome instanceof RateLimiterRes) return null;
      throw outcome;
    });
    if (!state || state.consumedPoints < INVALID_CODES_PER_WINDOW) return false;
    await this.invalid.block(key, BLOCK_SECONDS);
    return true;
  }
}
