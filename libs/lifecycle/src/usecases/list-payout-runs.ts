import { Injectable } from '@nestjs/common';
import { Database, type Page } from '#core';
import { type PayoutRun, PayoutRunsRepository } from '../payout-runs.repository.js';

/** Payout runs and their progress, newest first. */
@Injectable()
export class ListPayoutRuns {
  constructor(
    private readonly db: Database,
    private readonly runs: PayoutRunsRepository,
  ) {}

  execute(sandboxId: string, query: { limit: number; starting_after?: string }): Promise<Page<PayoutRun>> {
    return this.runs.list(this.db, sandboxId, query);
  }
}
