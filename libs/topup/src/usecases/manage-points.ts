import { Injectable } from '@nestjs/common';
import { Database, DomainError, type SandboxContext } from '#core';
import { LedgerService } from '#ledger';
import { MAX_POINTS_BALANCE, limitExceeded } from '../limits.js';
import { PointsRepository } from '../points.repository.js';

export interface PointsBalance {
  walletId: string;
  points: number;
}

/** Loyalty points: seeded by the operator's sandbox tool, read by the customer, spent 1:1 by a points top-up. */
@Injectable()
export class ManagePoints {
  constructor(
    private readonly db: Database,
    private readonly points: PointsRepository,
    private readonly ledger: LedgerService,
  ) {}

  async seed(sandbox: SandboxContext, walletId: string, points: number): Promise<PointsBalance> {
    if (!(await this.ledger.accountExists(this.db, sandbox.id, walletId, 'wallet'))) throw DomainError.notFound('wallet', walletId);
    const balance = await this.points.add(this.db, sandbox.id, walletId, points, MAX_POINTS_BALANCE);
    if (balance === null) {
      const max = MAX_POINTS_BALANCE.toLocaleString('en');
      throw limitExceeded('points.balance', MAX_POINTS_BALANCE, `A wallet may hold at most ${max} points`);
    }
    return { walletId, points: balance };
  }

  /** The loyalty points a wallet may top up with. */
  async balance(sandboxId: string, walletId: string): Promise<PointsBalance> {
    return { walletId, points: await this.points.balance(this.db, sandboxId, walletId) };
  }
}
