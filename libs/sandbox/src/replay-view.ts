import { systemNowMs } from '#core';
import type { ReplayRecord, ReplayStatus } from './replays.repository.js';

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
