import { Injectable } from '@nestjs/common';
import type { Queryable } from '#core';
import { ObservationsRepository } from '../observations.repository.js';

export interface Damage {
  /** Card top-ups made in the victim's name (each charge is cancelled). */
  topups: Array<{ topupId: string; amount: number }>;
  fraudulentTopups: number;
  /** What was spent from the wallet in the case's window, less refunds. */
  fraudulentPayments: number;
}

/** The damage of a case: what the fraud module observed on the wallet from the window's start until confirmation. */
@Injectable()
export class AssessDamage {
  constructor(private readonly observations: ObservationsRepository) {}

  async assess(q: Queryable, sandboxId: string, walletId: string, from: Date, until: Date): Promise<Damage> {
    const topups = await this.observations.settledCardTopups(q, sandboxId, walletId, from, until);
    const spent = await this.observations.paidAndRefunded(q, sandboxId, walletId, from, until);
    return {
      topups,
      fraudulentTopups: topups.reduce((sum, t) => sum + t.amount, 0),
      fraudulentPayments: Math.max(0, spent.paid - spent.refunded),
    };
  }
}
