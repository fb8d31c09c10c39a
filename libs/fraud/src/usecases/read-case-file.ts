import { Injectable } from '@nestjs/common';
import { Database } from '#core';
import { type ReviewedObservation, ObservationsRepository } from '../observations.repository.js';
import { countryOf } from '../rules.js';
import { FraudSettingsStore } from '../settings.js';
import { ReadHolds } from './read-holds.js';

export interface CaseFile {
  holdId: string;
  walletId: string;
  /** The period shown: from a week before the case began to now (sandbox time). */
  from: string;
  to: string;
  signIns: Array<{ at: string; ip: string | null; country: 'JP' | 'overseas'; deviceId: string | null; newDevice: boolean; score: number }>;
  devices: Array<{ deviceId: string; signIns: number; firstSeen: string; lastSeen: string }>;
  ips: Array<{ ip: string; country: 'JP' | 'overseas'; signIns: number; firstSeen: string; lastSeen: string }>;
  topups: Array<{ id: string; at: string; amount: number; channel: string | null; settled: boolean; held: boolean; score: number }>;
  payments: Array<{ id: string; at: string; amount: number; storeId: string | null; category: string | null; score: number }>;
}

/** How far before the case began the file reaches back. */
const LOOKBACK_DAYS = 7;
/** The most of each kind shown, newest first. */
const LIMIT = 100;

/** What a reviewer reads before deciding a hold: the wallet's recent sign-ins, devices, addresses, top-ups and payments. */
@Injectable()
export class ReadCaseFile {
  constructor(
    private readonly db: Database,
    private readonly holds: ReadHolds,
    private readonly settings: FraudSettingsStore,
    private readonly observations: ObservationsRepository,
  ) {}

  async of(sandboxId: string, holdId: string, now: Date): Promise<CaseFile> {
    const hold = await this.holds.get(sandboxId, holdId);
    const { domesticNetworks } = await this.settings.get(sandboxId);
    const from = new Date(new Date(hold.windowStart).getTime() - LOOKBACK_DAYS * 86_400_000);
    const to = now;
    const rows = await this.observations.forReview(this.db, sandboxId, hold.walletId, from, to);
    const logins = rows.filter((r) => r.kind === 'login');
    const signIns = logins.map((r) => ({
      at: r.occurredAt.toISOString(),
      ip: r.ip,
      country: countryOf(r.ip, domesticNetworks),
      deviceId: r.refId,
      newDevice: r.flags.newDevice === true,
      score: r.score,
    }));
    const settled = new Set(rows.filter((r) => r.kind === 'topup_succeeded').map((r) => r.refId));
    const held = new Set(hold.topupIds);
    return {
      holdId: hold.id,
      walletId: hold.walletId,
      from: from.toISOString(),
      to: to.toISOString(),
      signIns: signIns.slice(0, LIMIT),
      devices: tally(logins, (r) => r.refId).map(({ key, ...rest }) => ({ deviceId: key, ...rest })),
      ips: tally(logins, (r) => r.ip).map(({ key, ...rest }) => ({ ip: key, country: countryOf(key, domesticNetworks), ...rest })),
      topups: rows
        .filter((r) => r.kind === 'topup_requested' && r.refId)
        .slice(0, LIMIT)
        .map((r) => ({
          id: r.refId as string,
          at: r.occurredAt.toISOString(),
          amount: r.amount,
          channel: r.channel,
          settled: settled.has(r.refId),
          held: held.has(r.refId as string),
          score: r.score,
        })),
      payments: rows
        .filter((r) => r.kind === 'payment' && r.refId)
        .slice(0, LIMIT)
        .map((r) => ({
          id: r.refId as string,
          at: r.occurredAt.toISOString(),
          amount: r.amount,
          storeId: r.storeId,
          category: r.category,
          score: r.score,
        })),
    };
  }
}

/** Sign-ins counted by one of their fields (newest first in, most recent first out). */
function tally(rows: ReviewedObservation[], keyOf: (row: ReviewedObservation) => string | null) {
  const seen = new Map<string, { key: string; signIns: number; firstSeen: string; lastSeen: string }>();
  for (const row of rows) {
    const key = keyOf(row);
    if (!key) continue;
    const at = row.occurredAt.toISOString();
    const entry = seen.get(key);
    if (entry) {
      entry.signIns += 1;
      entry.firstSeen = at;
    } else seen.set(key, { key, signIns: 1, firstSeen: at, lastSeen: at });
  }
  return [...seen.values()];
}
