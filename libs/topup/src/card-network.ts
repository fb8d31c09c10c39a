import { Injectable } from '@nestjs/common';
import { DomainError, type Queryable, randomSecret } from '#core';
import { NetworkTokensRepository } from './network-tokens.repository.js';

/** How a test card (or bank account) behaves when charged. */
export type FundingBehavior = 'succeed' | 'decline' | 'insufficient_funds' | 'three_d_secure' | 'processing_error' | 'expired_card';

/** API.md's test cards, plus a processing error that heals on retry and an expired card. Any other valid number succeeds. */
export const TEST_CARDS: Readonly<Record<string, FundingBehavior>> = {
  '4242424242424242': 'succeed',
  '4000000000000002': 'decline',
  '4000000000009995': 'insufficient_funds',
  '4000000000003220': 'three_d_secure',
  '4000000000000119': 'processing_error',
  '4000000000000069': 'expired_card',
};

/** Bank accounts for bank-debit top-ups, by account number. Any other number succeeds. */
export const TEST_BANK_ACCOUNTS: Readonly<Record<string, FundingBehavior>> = {
  '0000002': 'decline',
  '0009995': 'insufficient_funds',
  '0000119': 'processing_error',
};

/** Why a charge failed, as `failureCode` shows it. */
export const FAILURE_CODES: Partial<Record<FundingBehavior, string>> = {
  decline: 'card_declined',
  insufficient_funds: 'insufficient_funds',
  expired_card: 'expired_card',
};

/** What each behaviour does to a top-up, as the test card lists describe it. */
export const BEHAVIOR_OUTCOMES: Readonly<Record<FundingBehavior, string>> = {
  succeed: 'The top-up succeeds',
  decline: 'The top-up fails: card_declined',
  insufficient_funds: 'The top-up fails: insufficient_funds',
  three_d_secure: 'The issuer asks for 3-D Secure: a code by SMS; three wrong codes fail the top-up (three_d_secure_failed)',
  processing_error: 'A processing error on the first try; the worker retries and it succeeds',
  expired_card: 'The top-up fails: expired_card',
};

export interface TestFundingSource {
  /** The card number, or the bank account number. */
  number: string;
  behavior: FundingBehavior;
  /** The top-up's failureCode when it fails on this number; null when it succeeds in the end. */
  failureCode: string | null;
  description: string;
}

function testSources(numbers: Readonly<Record<string, FundingBehavior>>): TestFundingSource[] {
  return Object.entries(numbers).map(([number, behavior]) => ({
    number,
    behavior,
    failureCode: FAILURE_CODES[behavior] ?? null,
    description: BEHAVIOR_OUTCOMES[behavior],
  }));
}

/** The simulated network's test cards, as an app shows them to pick from. */
export const testCards = (): TestFundingSource[] => testSources(TEST_CARDS);
/** The simulated bank's test account numbers. */
export const testBankAccounts = (): TestFundingSource[] => testSources(TEST_BANK_ACCOUNTS);

export function luhnValid(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let d = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function brandOf(number: string): string {
  if (/^4/.test(number)) return 'visa';
  if (/^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/.test(number)) return 'mastercard';
  if (/^3[47]/.test(number)) return 'amex';
  if (/^35(2[89]|[3-8]\d)/.test(number)) return 'jcb';
  if (/^3(0[0-5]|[689])/.test(number)) return 'diners';
  return 'unknown';
}

/** A transient failure of the funding network: the job throws and BullMQ retries it. */
export class GatewayUnavailable extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'GatewayUnavailable';
  }
}

export interface GatewayBehaviour {
  /** Added to every authorisation, in milliseconds. */
  latencyMs: number;
  /** Chance (0..1) that an authorisation fails transiently and is retried. */
  failureRate: number;
}

export type Authorization = { approved: true; authorizationId: string } | { approved: false; failureCode: string };

/**
 * The simulated card network and funding gateway. Cards are tokenized: the
 * network keeps only how each token behaves, the wallet keeps brand, last4
 * and the token. Authorisations are idempotent per top-up.
 */
@Injectable()
export class CardNetwork {
  constructor(private readonly tokens: NetworkTokensRepository) {}

  async tokenize(q: Queryable, sandboxId: string, number: string, at: Date): Promise<{ token: string; brand: string; last4: string }> {
    const token = `tok_${randomSecret(24)}`;
    await this.tokens.insert(q, { token, sandboxId, behavior: TEST_CARDS[number] ?? 'succeed', at });
    return { token, brand: brandOf(number), last4: number.slice(-4) };
  }

  async cardBehavior(q: Queryable, sandboxId: string, token: string): Promise<FundingBehavior> {
    const behavior = await this.tokens.findBehavior(q, sandboxId, token);
    if (!behavior) throw new DomainError('not_found', 'The card network does not know this card');
    return behavior;
  }

  /**
   * Authorises a charge for a top-up. `attempt` counts earlier tries of the
   * same top-up: a processing error fails the first and heals after.
   */
  async authorize(topupId: string, behavior: FundingBehavior, attempt: number, gateway: GatewayBehaviour): Promise<Authorization> {
    if (gateway.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, gateway.latencyMs));
    if (gateway.failureRate > 0 && Math.random() < gateway.failureRate)
      throw new GatewayUnavailable('the funding gateway timed out (injected)');
    if (behavior === 'processing_error' && attempt === 0) throw new GatewayUnavailable('processing error at the card network; retrying');
    const failureCode = FAILURE_CODES[behavior];
    return failureCode ? { approved: false, failureCode } : { approved: true, authorizationId: `auth_${topupId.slice(4)}` };
  }
}
