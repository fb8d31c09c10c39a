import { Injectable } from '@nestjs/common';
import { Database, DomainError, systemNowMs } from '#core';
import {
  type ReplayChange,
  type ReplayPace,
  type ReplayRecord,
  type ReplayStatus,
  ReplaysRepository,
  type StoredReplayStatus,
} from './replays.repository.js';

/** A running replay that has not reported for this long reads as `lost` (its runner died, or its machine went away). */
export const REPLAY_SILENCE_MS = 60_000;

export interface ReplayView extends Omit<ReplayRecord, 'status' | 'sandboxAt' | 'startedAt' | 'finishedAt' | 'heartbeatAt'> {
  status: ReplayStatus;
  sandboxAt: string | null;
  startedAt: string;
  finishedAt: string | null;
  heartbeatAt: string;
}

export function replayView(record: ReplayRecord): ReplayView {
  const silent = systemNowMs() - record.heartbeatAt.getTime() > REPLAY_SILENCE_MS;
  return {
    ...record,
    status: record.status === 'running' && silent ? 'lost' : record.status,
    sandboxAt: record.sandboxAt?.toISOString() ?? null,
    startedAt: record.startedAt.toISOString(),
    finishedAt: record.finishedAt?.toISOString() ?? null,
    heartbeatAt: record.heartbeatAt.toISOString(),
  };
}

/** From a running replay to where it may go: on, or to its end. An end is final. */
const MOVES: Record<StoredReplayStatus, readonly StoredReplayStatus[]> = {
  running: ['running', 'completed', 'failed'],
  completed: [],
  failed: [],
};

/** The replay of 2019 on a sandbox, as its runner (the demo, from the CLI or started by the api) reports it. */
@Injectable()
export class Replays {
  constructor(
    private readonly db: Database,
    private readonly replays: ReplaysRepository,
  ) {}

  async get(sandboxId: string): Promise<ReplayView> {
    const record = await this.replays.find(this.db, sandboxId);
    if (!record) throw new DomainError('no_replay', 'No replay was started on this sandbox: POST /v1/replays, or npm run demo:7pay');
    return replayView(record);
  }

  /** A new replay on the sandbox; refused while one is running there (a lost or finished one is replaced). */
  async start(sandboxId: string, replay: { customers: number; seed: number; pace: ReplayPace }): Promise<ReplayView> {
    return this.db.transaction(async (tx) => {
      const current = await this.replays.find(tx, sandboxId, true);
      if (current && replayView(current).status === 'running') {
        throw new DomainError('replay_exists', `A replay is running on this sandbox since ${current.startedAt.toISOString()}`);
      }
      return replayView(await this.replays.start(tx, { sandboxId, ...replay }));
    });
  }

  async progress(sandboxId: string, change: ReplayChange): Promise<ReplayView> {
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
