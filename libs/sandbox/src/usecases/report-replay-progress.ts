import { Injectable } from '@nestjs/common';
import { Database, DomainError } from '#core';
import { type ReplayView, replayView } from '../replay-view.js';
import { type ReplayChange, ReplaysRepository, type StoredReplayStatus } from '../replays.repository.js';

/** From a running replay to where it may go: on, or to its end. An end is final. */
const MOVES: Record<StoredReplayStatus, readonly StoredReplayStatus[]> = {
  running: ['running', 'completed', 'failed'],
  completed: [],
  failed: [],
};

/** The runner's report of its replay: chapter, sandbox date, counters, chart points, and at the end the report and status. */
@Injectable()
export class ReportReplayProgress {
  constructor(
    private readonly db: Database,
    private readonly replays: ReplaysRepository,
  ) {}

  async execute(sandboxId: string, change: ReplayChange): Promise<ReplayView> {
    return this.db.transaction(async (tx) => {
      const current = await this.replays.find(tx, sandboxId, true);
      if (!current) throw new DomainError('no_replay', 'No replay was started on this sandbox: POST /v1/sandbox/replay first');
      if (!MOVES[current.status].includes(change.status)) {
        throw new DomainError('invalid_transition', `The replay is ${current.status}; it cannot become ${change.status}`, {
          replayStatus: current.status,
        });
      }
      return replayView(await this.replays.update(tx, sandboxId, change));
    });
  }
}
