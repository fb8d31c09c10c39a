import { DomainError, type FieldError, type TopupChannel } from '#core';

export interface ChannelLimit {
  /** Most per top-up, in yen (points: 1 pt = ¥1). */
  max: number;
  /** Amounts must be a multiple of this. */
  unit: number;
}

export interface TopupLimits {
  channels: Record<TopupChannel, ChannelLimit>;
  /** Most topped up per wallet per day (Japan time), all channels together. */
  dailyCap: number;
  /** Most a wallet may hold, counting top-ups still in flight. */
  maxBalance: number;
}

/** 7pay's published limits (DESIGN.md); the maximum balance is the sandbox's own default. */
export const DEFAULT_LIMITS: TopupLimits = {
  channels: {
    register_cash: { max: 49_000, unit: 1 },
    card: { max: 30_000, unit: 1_000 },
    bank_debit: { max: 30_000, unit: 1_000 },
    atm: { max: 100_000, unit: 1_000 },
    points: { max: 100_000, unit: 1 },
  },
  dailyCap: 300_000,
  maxBalance: 500_000,
};

/** The most loyalty points a wallet may hold; seeding stops there (and a bigint never overflows). */
export const MAX_POINTS_BALANCE = 10_000_000;

export type LimitOverrides = Partial<Omit<TopupLimits, 'channels'>> & { channels?: Partial<Record<TopupChannel, Partial<ChannelLimit>>> };

export function mergeLimits(overrides: LimitOverrides): TopupLimits {
  const channels = { ...DEFAULT_LIMITS.channels };
  for (const [channel, limit] of Object.entries(overrides.channels ?? {}) as Array<[TopupChannel, Partial<ChannelLimit>]>) {
    channels[channel] = { ...channels[channel], ...limit };
  }
  return {
    channels,
    dailyCap: overrides.dailyCap ?? DEFAULT_LIMITS.dailyCap,
    maxBalance: overrides.maxBalance ?? DEFAULT_LIMITS.maxBalance,
  };
}

export function limitExceeded(limit: string, max: number, detail: string): DomainError {
  return new DomainError('limit_exceeded', detail, { limit, max });
}

/** Checks one top-up's amount against its channel: the unit (400) and the per-top-up maximum (422). */
export function checkChannelAmount(limits: TopupLimits, channel: TopupChannel, amount: number): void {
  const { max, unit } = limits.channels[channel];
  if (amount % unit !== 0) {
    const problem: FieldError = { field: 'amount', message: `must be a multiple of ¥${unit.toLocaleString('en')} for ${channel} top-ups` };
    throw DomainError.invalid([problem]);
  }
  if (amount > max) throw limitExceeded(`${channel}.max`, max, `A ${channel} top-up may be at most ¥${max.toLocaleString('en')}`);
}

/** The calendar day in Japan (UTC+9, no daylight saving): 7pay's daily cap reset at midnight JST. */
export function japanDay(at: Date): string {
  return new Date(at.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}
