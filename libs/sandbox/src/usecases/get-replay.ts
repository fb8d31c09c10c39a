import { Injectable } from '@nestjs/common';
import { Database, DomainError } from '#core';
import { type ReplayView, replayView } from '../replay-view.js';
import { ReplaysRepository } from '../replays.repository.js';

/** The replay of 2019 on a sandbox, as its runner last reported it. */
@Injectable()
export class GetReplay {
  constructor(
    private readonly db: Database,
    private readonly replays: ReplaysRepository,
  ) {}

  async execute(sandboxId: string): Promise<ReplayView> {
    const record = await this.replays.find(this.db, sandboxId);
    if (!record) throw new DomainError('no_replay', 'No replay was started on this sandbox: POST /v1/replays, or npm run demo:7pay');
    return replayView(record);
  }
}
