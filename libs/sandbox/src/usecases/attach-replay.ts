import { Injectable } from '@nestjs/common';
import { Database, DomainError } from '#core';
import { type ReplayView, replayView } from '../replay-view.js';
import { type ReplayPace, ReplaysRepository } from '../replays.repository.js';

/**
 * Records a replay that runs on the sandbox (the demo, from the CLI or
 * started by the api), so the console can watch it. Refused while one is
 * running there; a lost or finished one is replaced.
 */
@Injectable()
export class AttachReplay {
  constructor(
    private readonly db: Database,
    private readonly replays: ReplaysRepository,
  ) {}

  async execute(sandboxId: string, replay: { customers: number; seed: number; pace: ReplayPace }): Promise<ReplayView> {
    return this.db.transaction(async (tx) => {
      const current = await this.replays.find(tx, sandboxId, true);
      if (current && replayView(current).status === 'running') {
        throw new DomainError('replay_exists', `A replay is running on this sandbox since ${current.startedAt.toISOString()}`);
      }
      return replayView(await this.replays.start(tx, { sandboxId, ...replay }));
    });
  }
}
