import { createHmac } from 'node:crypto';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { type Observable, catchError, from, mergeMap } from 'rxjs';
import { type Principal, principalScope } from '../auth/principal.js';
import { SandboxTime } from '../clock/clock.js';
import { DomainError, type ErrorCode } from '../errors/domain-error.js';
import { toProblem } from '../errors/problem.js';
import { RequestContext } from '../http/request-context.js';
import { Secrets } from '../secrets/secrets.js';
import { type Claim, IdempotencyStore } from './idempotency.store.js';

/** A stored response sent again; the problem filter writes it out. */
export class IdempotentReplay {
  readonly headers: Record<string, string>;
  constructor(
    readonly status: number,
    /** The JSON text first sent. */
    readonly body: string,
  ) {
    this.headers = { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json; charset=utf-8' };
  }
}

/** Failures that say nothing final about the request: not stored, so a retry runs it again. */
const NOT_REPLAYED = new Set<ErrorCode>([
  'invalid_request',
  'unauthenticated',
  'rate_limited',
  'idempotency_in_progress',
  'idempotency_key_reused',
  'service_unavailable',
  'internal_error',
]);

const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

function hmacHex(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('hex');
}

/** Canonical JSON: the same body with keys in another order is the same request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Idempotency-Key on every mutating POST (API.md): the same key and body
 * within 24 hours of sandbox time replays the stored response; another body
 * is refused; a key whose first request still runs answers 409.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  /** The current key first; earlier ones so that a retry across a key rotation still replays. */
  private readonly fingerprintKeys: Buffer[];

  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
    secrets: Secrets,
  ) {
    this.fingerprintKeys = secrets.deriveAll('idempotency-fingerprint');
  }

  async intercept(execution: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = execution.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const header = request.headers['idempotency-key'];
    if (request.method !== 'POST' || header === undefined || !request.principal) return next.handle();
    if (typeof header !== 'string' || !KEY_PATTERN.test(header)) {
      throw DomainError.invalid([{ field: 'Idempotency-Key', message: 'must be 1-255 printable ASCII characters' }]);
    }

    const principal = request.principal;
    const scope = this.scopeOf(principal, request.body);
    const now = 'sandbox' in principal ? principal.sandbox.time.now() : new SandboxTime(0).now();
    // Keyed: a reader of the table cannot test a guessed password or card number against a stored fingerprint.
    const described = `${request.method} ${request.url}\n${canonicalJson(request.body ?? null)}`;
    const hashes = this.fingerprintKeys.map((key) => hmacHex(key, described));
    const claim = await this.store.claim(scope, header, hashes, now);
    if (claim.kind === 'replay') throw new IdempotentReplay(claim.status, claim.body);
    if (claim.kind === 'conflict') {
      throw new DomainError('idempotency_key_reused', 'This Idempotency-Key was already used with a different request');
    }
    if (claim.kind === 'in_progress') {
      throw new DomainError(
        'idempotency_in_progress',
        'A request with this Idempotency-Key is still running; retry later',
        {},
        { 'Retry-After': '1' },
      );
    }

    const context = RequestContext.current();
    if (context) context.idempotencyScope = `${scope.principal}:${header}:${claim.generation}`;

    const status = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, execution.getHandler()) ?? 201;
    return next.handle().pipe(
      mergeMap((body) => from(this.store.complete(claim, status, body).then(() => body))),
      catchError((error: unknown) => from(this.settleFailure(claim, error))),
    );
  }

  /**
   * Whose keys these are. Before sign-in every client of a sandbox holds the
   * same publishable key, so its calls are told apart by the e-mail or the
   * device id they carry (fingerprinted, not stored as typed): one client's
   * key never meets another's.
   */
  private scopeOf(principal: Principal, body: unknown): { sandboxId: string; principal: string } {
    const scope = principalScope(principal);
    if (principal.kind !== 'publishable') return scope;
    const fields = (body ?? {}) as { email?: unknown; deviceId?: unknown };
    const client = [fields.email, fields.deviceId].find((value): value is string => typeof value === 'string');
    return client === undefined
      ? scope
      : { ...scope, principal: `${scope.principal}:${hmacHex(this.fingerprintKeys[0], `client\n${client}`).slice(0, 32)}` };
  }

  private async settleFailure(claim: Extract<Claim, { kind: 'claimed' }>, error: unknown): Promise<never> {
    if (error instanceof DomainError && error.status < 500 && !NOT_REPLAYED.has(error.code)) {
      await this.store.complete(claim, error.status, toProblem(error).body);
    } else {
      await this.store.release(claim);
    }
    throw error;
  }
}
