import { Injectable } from '@nestjs/common';
import { Database, type Principal, type SandboxContext } from '#core';
import { type Topup, type TopupViewer, TopupsRepository } from '../topups.repository.js';

/** One top-up, to its customer, the store that took the cash, or the operator. */
@Injectable()
export class GetTopup {
  constructor(
    private readonly db: Database,
    private readonly topups: TopupsRepository,
  ) {}

  get(principal: Principal, sandbox: SandboxContext, id: string): Promise<Topup> {
    const viewer: TopupViewer =
      principal.kind === 'user' ? { walletId: principal.walletId } : principal.kind === 'store' ? { storeId: principal.storeId } : {};
    return this.topups.get(this.db, sandbox.id, id, viewer);
  }
}
