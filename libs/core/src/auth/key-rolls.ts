import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { systemNowMs } from '../clock/clock.js';
import { DomainError } from '../errors/domain-error.js';

/** The longest a rolled key may keep working beside its replacement: a week, as Stripe allows. */
export const KEY_ROLL_MAX_GRACE_SECONDS = 7 * 24 * 3600;

/** The SQL condition of a key that still works: until its revoked_at, which a roll may set in the future. */
export const LIVE_KEY = `(revoked_at IS NULL OR revoked_at > now())`;

/** How long the old key of a roll keeps working; by default it stops at once. */
export class RollKeyBody {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: KEY_ROLL_MAX_GRACE_SECONDS,
    default: 0,
    example: 3600,
    description:
      'Seconds (real time, not the sandbox clock) the old key keeps working while clients move to the new one; 0 stops it at once',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(KEY_ROLL_MAX_GRACE_SECONDS)
  expiresInSeconds?: number;
}

/**
 * Why a key could not be rolled: it is unknown to the caller or has stopped
 * working (404), or it was rolled already and only its replacement may be (409).
 */
export function unrollableKey(what: string, id: string, found: { revokedAt: Date | null } | null): DomainError {
  const stops = found?.revokedAt;
  if (!found || (stops && stops.getTime() <= systemNowMs())) return DomainError.notFound(what, id);
  return new DomainError('key_rolled', `The ${what} '${id}' was rolled already${stops ? `: it stops at ${stops.toISOString()}` : ''}`);
}
