import { beforeAll, describe, expect, jest, test } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { SandboxContext } from '../auth/principal.js';
import { SandboxTime } from '../clock/clock.js';
import type { SandboxLookup } from '../database/sandbox-lookup.js';
import type { FailedJob, FailedJobs } from './failed-jobs.js';
import { type FinalFailureHandlers, type JobHandlers, QueueProcessor, STALLS_ALLOWED, WORKER_OPTIONS } from './queue-processor.js';

type Housekeeping = 'housekeeping';

/** The one sandbox that exists while these tests run. */
const SANDBOX: SandboxContext = { id: 'sbx_1', securityProfile: 'hardened', time: new SandboxTime(0) };

/**
 * A processor of one queue whose handler and final-failure handler are the
 * test's, recording failures in memory, in a world where only SANDBOX exists.
 */
class Processor extends QueueProcessor<Housekeeping> {
  readonly queue = 'housekeeping';
  readonly recorded: FailedJob[] = [];
  protected readonly handlers: JobHandlers<Housekeeping>;

  /** The handlers of the jobs a test runs: the queue's others are never called. */
  constructor(
    handlers: Partial<JobHandlers<Housekeeping>>,
    protected override readonly onFinalFailure: FinalFailureHandlers<Housekeeping> = {},
  ) {
    super();
    this.handlers = handlers as JobHandlers<Housekeeping>;
    const failedJobs: Pick<FailedJobs, 'record'> = { record: async (job) => void this.recorded.push(job) };
    const sandboxes: Pick<SandboxLookup, 'find'> = { find: async (id) => (id === SANDBOX.id ? SANDBOX : null) };
    Object.assign(this, { failedJobs, sandboxes });
  }
}

/** Try number `attempt` (1 = the first) of a job allowed `attempts` tries. */
function job(attempt: number, attempts = 3, name: string = 'housekeeping.purge-idempotency-keys', sandboxId = SANDBOX.id): Job {
  return {
    id: '42',
    name,
    data: { sandboxId, requestId: null },
    opts: { attempts },
    attemptsMade: attempt - 1,
  } as unknown as Job;
}

const failing = (message = 'connection terminated') => ({
  'housekeeping.purge-idempotency-keys': async () => {
    throw new Error(message);
  },
});

beforeAll(() => Logger.overrideLogger(false));

describe('a job that fails for good', () => {
  test('its last attempt throws: the failure is recorded with its payload and error, its final-failure handler runs, and BullMQ still gets the error', async () => {
    const onFailure = jest.fn(async () => undefined);
    const processor = new Processor(failing(), { 'housekeeping.purge-idempotency-keys': onFailure });
    await expect(processor.process(job(3))).rejects.toThrow('connection terminated');
    expect(onFailure).toHaveBeenCalledTimes(1);
    expect(processor.recorded).toEqual([
      {
        queue: 'housekeeping',
        name: 'housekeeping.purge-idempotency-keys',
        jobId: '42',
        sandboxId: 'sbx_1',
        payload: { sandboxId: 'sbx_1', requestId: null },
        error: 'connection terminated',
        attempts: 3,
        onFailureError: null,
      },
    ]);
  });

  test('an attempt with retries left only throws: nothing is recorded and nothing acts on it', async () => {
    const onFailure = jest.fn(async () => undefined);
    const processor = new Processor(failing(), { 'housekeeping.purge-idempotency-keys': onFailure });
    await expect(processor.process(job(2))).rejects.toThrow('connection terminated');
    expect(onFailure).not.toHaveBeenCalled();
    expect(processor.recorded).toEqual([]);
  });

  test('an unrecoverable error is final on the first attempt (a job no handler knows)', async () => {
    const processor = new Processor(failing());
    await expect(processor.process(job(1, 3, 'housekeeping.unknown'))).rejects.toThrow('has no handler for job housekeeping.unknown');
    expect(processor.recorded).toMatchObject([{ name: 'housekeeping.unknown', attempts: 1 }]);
  });

  test('a final-failure handler that fails too is recorded beside the error, which still reaches BullMQ', async () => {
    const processor = new Processor(failing(), {
      'housekeeping.purge-idempotency-keys': async () => {
        throw new Error('database is down');
      },
    });
    await expect(processor.process(job(3))).rejects.toThrow('connection terminated');
    expect(processor.recorded).toMatchObject([{ error: 'connection terminated', onFailureError: 'database is down' }]);
  });

  test('a job whose worker stopped while running it once more than allowed is not run again: it has failed for good on its first attempt', async () => {
    const ran = jest.fn(async () => undefined);
    const onFailure = jest.fn(async () => undefined);
    const processor = new Processor({ 'housekeeping.purge-idempotency-keys': ran }, { 'housekeeping.purge-idempotency-keys': onFailure });
    await processor.process({ ...job(1), stalledCounter: STALLS_ALLOWED } as Job);
    expect(ran).toHaveBeenCalledTimes(1);
    await expect(processor.process({ ...job(1), stalledCounter: STALLS_ALLOWED + 1 } as Job)).rejects.toThrow(
      'its worker stopped while running it, 2 times',
    );
    expect(ran).toHaveBeenCalledTimes(1);
    expect(onFailure).toHaveBeenCalledTimes(1);
    expect(processor.recorded).toMatchObject([{ attempts: 1, error: expect.stringContaining('its worker stopped while running it') }]);
    // BullMQ never fails a stalled job itself, out of the processor's sight.
    expect(WORKER_OPTIONS.maxStalledCount).toBe(2 ** 31 - 1);
  });

  test('a processor declared without WORKER_OPTIONS stops the worker from starting', () => {
    const declared = (opts: object) => {
      const processor = new Processor({});
      Object.assign(processor, { _worker: { opts, on: () => undefined } });
      return () => processor.onApplicationBootstrap();
    };
    expect(declared({ maxStalledCount: 1 })).toThrow("Processor must be declared @Processor('housekeeping', WORKER_OPTIONS)");
    expect(declared({ ...WORKER_OPTIONS })).not.toThrow();
  });

  test('a job that succeeds on its last attempt is not a failure', async () => {
    const processor = new Processor({ 'housekeeping.purge-idempotency-keys': async () => undefined });
    await processor.process(job(3));
    expect(processor.recorded).toEqual([]);
  });
});

describe('a job of one sandbox', () => {
  /** The context a handler was given (the housekeeping job's type says nothing of a sandbox; these jobs carry one). */
  const seen: object[] = [];
  const recording = { 'housekeeping.purge-idempotency-keys': async (_data: unknown, context: object) => void seen.push(context) };

  test('its handler, and its final-failure handler, receive that sandbox', async () => {
    seen.length = 0;
    await new Processor(recording).process(job(1));
    const onFailure = jest.fn(async (_data: unknown, _error: unknown, context: object) => void seen.push(context));
    await expect(new Processor(failing(), { 'housekeeping.purge-idempotency-keys': onFailure }).process(job(3))).rejects.toThrow();
    expect(seen).toEqual([expect.objectContaining({ sandbox: SANDBOX }), expect.objectContaining({ sandbox: SANDBOX })]);
  });

  test('whose sandbox is gone completes without running its handler: nothing of the sandbox is left to act on', async () => {
    seen.length = 0;
    const processor = new Processor(recording);
    await processor.process(job(1, 3, 'housekeeping.purge-idempotency-keys', 'sbx_gone'));
    expect(seen).toEqual([]);
    expect(processor.recorded).toEqual([]);
  });

  test('a job of no sandbox runs without one', async () => {
    seen.length = 0;
    const periodic = { ...job(1), data: {} } as Job;
    await new Processor(recording).process(periodic);
    expect(seen).toEqual([{ job: periodic }]);
  });
});

describe('a job renamed', () => {
  test('a job stored under its former name runs, and fails for good, as the job it was renamed to', async () => {
    const ran = jest.fn(async () => undefined);
    const onFailure = jest.fn(async () => undefined);
    const processor = new Processor({ 'housekeeping.purge-idempotency-keys': ran }, { 'housekeeping.purge-idempotency-keys': onFailure });
    const renamed = { 'housekeeping.purge-keys': 'housekeeping.purge-idempotency-keys' } as Record<string, string>;
    Object.assign(processor, { catalog: { currentName: (_queue: string, stored: string) => renamed[stored] ?? stored } });
    await processor.process(job(1, 3, 'housekeeping.purge-keys'));
    expect(ran).toHaveBeenCalledTimes(1);

    Object.assign(processor, { handlers: failing() });
    await expect(processor.process(job(3, 3, 'housekeeping.purge-keys'))).rejects.toThrow('connection terminated');
    expect(onFailure).toHaveBeenCalledTimes(1);
    // Recorded under the name it was stored with: that is the job BullMQ holds.
    expect(processor.recorded.map((failed) => failed.name)).toEqual(['housekeeping.purge-keys']);

    await expect(processor.process(job(1, 3, 'housekeeping.unknown'))).rejects.toThrow('has no handler for job housekeeping.unknown');
  });
});
