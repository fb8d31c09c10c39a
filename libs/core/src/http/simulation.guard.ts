import { setTimeout as sleep } from 'node:timers/promises';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.js';
import { Environment } from '../config/environment.js';
import { DomainError, type ErrorCode } from '../errors/domain-error.js';

interface Simulation {
  code: ErrorCode;
  detail: string;
  /** The fields and headers the real refusal carries, so clients parse both alike. */
  extra?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** Answer only after stalling for SIMULATED_TIMEOUT_MS. */
  stalls?: boolean;
}

/** Every `Sandbox-Simulate` case and the refusal it forces (docs/api-and-contract.md, "Simulating failures"). */
export const SIMULATIONS = {
  card_declined: { code: 'card_declined', detail: 'The card was declined', extra: { declineCode: 'generic_decline' } },
  insufficient_balance: { code: 'insufficient_balance', detail: 'The balance does not cover the amount', extra: { available: 0 } },
  code_invalid: { code: 'code_invalid', detail: 'No such payment code: ask the customer to show a new one' },
  code_expired: { code: 'code_expired', detail: 'This code has expired: ask the customer to show a new one' },
  code_used: { code: 'code_used', detail: 'This code was already used' },
  wallet_on_hold: { code: 'wallet_on_hold', detail: 'The wallet is on hold pending a fraud review' },
  limit_exceeded: {
    code: 'limit_exceeded',
    detail: 'A payment may be at most ¥500000',
    extra: { limit: 'max_payment_amount', max: 500_000 },
  },
  service_suspended: {
    code: 'service_suspended',
    detail: 'The service is terminated: payment is not available',
    extra: { capability: 'payment', phase: 'terminated' },
  },
  rate_limited: { code: 'rate_limited', detail: 'Too many requests', extra: { retryAfterSeconds: 2 }, headers: { 'Retry-After': '2' } },
  timeout: { code: 'gateway_timeout', detail: 'The request timed out', stalls: true },
  server_error: { code: 'service_unavailable', detail: 'The service is temporarily unavailable', headers: { 'Retry-After': '1' } },
} as const satisfies Record<string, Simulation>;

export type SimulationCase = keyof typeof SIMULATIONS;
export const SIMULATION_CASES = Object.keys(SIMULATIONS) as SimulationCase[];

/**
 * `Sandbox-Simulate: <case>` forces a documented refusal on any call made
 * with a credential, so clients can rehearse failures without setting them
 * up. It runs after authentication (a bad credential still answers 401) and
 * before idempotency, validation and the handler: nothing is written.
 */
@Injectable()
export class SimulationGuard implements CanActivate {
  constructor(private readonly env: Environment) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const header = request.headers['sandbox-simulate'];
    // Public routes (health, metrics) have no principal and ignore the header.
    if (header === undefined || !request.principal) return true;
    const name = String(header).trim();
    if (!Object.hasOwn(SIMULATIONS, name)) {
      throw new DomainError('unknown_simulation', `Sandbox-Simulate must be one of: ${SIMULATION_CASES.join(', ')}`, {
        cases: SIMULATION_CASES,
      });
    }
    const simulation: Simulation = SIMULATIONS[name as SimulationCase];
    if (simulation.stalls) await sleep(this.env.SIMULATED_TIMEOUT_MS);
    throw new DomainError(simulation.code, `Simulated: ${simulation.detail}`, simulation.extra ?? {}, {
      ...simulation.headers,
      'Sandbox-Simulated': name,
    });
  }
}
