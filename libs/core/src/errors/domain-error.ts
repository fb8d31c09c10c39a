/**
 * Every error a client can see, with its HTTP status and title. The codes
 * are part of the public contract (API.md): never rename one.
 */
export const ERRORS = {
  invalid_request: { status: 400, title: 'The request is not valid' },
  unknown_simulation: { status: 400, title: 'Sandbox-Simulate names no known case' },
  invalid_client_ip: { status: 400, title: 'Sandbox-Client-Ip is not an IP address' },
  unauthenticated: { status: 401, title: 'Missing or invalid credentials' },
  mfa_required: { status: 401, title: 'A new second-factor challenge is needed' },
  insufficient_balance: { status: 402, title: 'The wallet balance does not cover the amount' },
  forbidden: { status: 403, title: 'This credential may not do that' },
  step_up_required: { status: 403, title: 'Confirm it is you with a second factor, then repeat the call' },
  not_found: { status: 404, title: 'No such resource' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  idempotency_in_progress: { status: 409, title: 'A request with this Idempotency-Key is still running' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'The request body must be application/json' },
  idempotency_key_reused: { status: 422, title: 'This Idempotency-Key was used with another request' },
  amount_exceeds_pending: { status: 422, title: 'The amount exceeds what the pending transfer holds' },
  pending_transfer_not_pending: { status: 409, title: 'The pending transfer is no longer pending' },
  code_invalid: { status: 422, title: 'The payment code is not valid' },
  code_expired: { status: 422, title: 'The payment code has expired' },
  code_used: { status: 409, title: 'The payment code was already used' },
  limit_exceeded: { status: 422, title: 'The amount exceeds a limit' },
  url_not_allowed: { status: 422, title: 'Webhooks may not be sent to this address' },
  endpoint_disabled: { status: 409, title: 'The webhook endpoint is disabled' },
  key_rolled: { status: 409, title: 'The key was rolled already: roll or revoke its replacement' },
  last_secret_key: { status: 409, title: 'A sandbox keeps at least one secret key that does not expire' },
  amount_exceeds_refundable: { status: 422, title: 'The amount exceeds what is left to refund' },
  invalid_payment_state: { status: 409, title: 'The payment is not in a state that allows this' },
  invalid_transition: { status: 409, title: 'That change of state is not allowed now' },
  authorization_expired: { status: 409, title: 'The authorization has expired' },
  wallet_on_hold: { status: 403, title: 'The wallet is on hold' },
  service_suspended: { status: 403, title: 'The service phase forbids this' },
  notice_period_too_short: { status: 422, title: 'Holders must get at least 60 days to claim a refund' },
  identity_mismatch: { status: 422, title: 'The e-mail address or phone number is not the one registered' },
  no_replay: { status: 404, title: 'No replay was started on this sandbox' },
  replay_exists: { status: 409, title: 'A replay is already running on this sandbox' },
  replay_running: { status: 409, title: 'A replay started from the console is still running' },
  hold_exists: { status: 409, title: 'The wallet is already on hold' },
  claim_exists: { status: 409, title: 'This wallet already has a refund claim' },
  nothing_to_refund: { status: 422, title: 'The wallet holds no balance to refund' },
  claim_right_lost: { status: 403, title: 'The membership was closed before the service ended: no refund right' },
  password_reset_required: { status: 403, title: 'Set a new password with the password reset before signing in' },
  card_declined: { status: 402, title: 'The card was declined' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Internal error' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
  server_busy: { status: 503, title: 'Too much costly work is waiting in this process; retry after Retry-After' },
  gateway_timeout: { status: 504, title: 'The request timed out' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERRORS;

export interface FieldError {
  field: string;
  message: string;
}

/** Fields a problem adds beside RFC 9457's own members, which it may not reuse (name a state `claimStatus`, not `status`). */
export type ProblemExtensions = Record<string, unknown> & { [K in 'type' | 'title' | 'status' | 'code' | 'detail']?: never };

/** A typed, expected failure. Mapped once to application/problem+json. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    detail: string,
    readonly extra: ProblemExtensions = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'DomainError';
  }

  get status(): number {
    return ERRORS[this.code].status;
  }

  static notFound(what: string, id: string): DomainError {
    return new DomainError('not_found', `No ${what} with id '${id}'`);
  }

  static invalid(errors: FieldError[]): DomainError {
    const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    return new DomainError('invalid_request', detail, { errors });
  }
}
