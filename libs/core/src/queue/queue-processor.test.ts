import { beforeAll, describe, expect, jest, test } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { FailedJob, FailedJobs } from './failed-jobs.js';
import { type FinalFailureHandlers, type JobHandlers, QueueProcessor } from './queue-processor.js';
import { JobName, QueueName } from './registry.js';

type Housekeeping = QueueName.Housekeeping;

/** A processor of one queue whose handler and final-failure handler are the test's, recording failures in memory. */
class Processor extends QueueProcessor<Housekeeping> {
  readonly queue = QueueName.Housekeeping;
  readonly recorded: FailedJob[] = [];

  constructor(
    protected readonly handlers: JobHandlers<Housekeeping>,
    protected override readonly onFinalFailure: FinalFailureHandlers<Housekeeping> = {},
  ) {
    super();
    const failedJobs: Pick<FailedJobs, 'record'> = { record: async (job) => void this.recorded.push(job) };
    Object.assign(this, { failedJobs });
  }
}

/** Try number `attempt` (1 = the first) of a job allowed `attempts` tries. */
function job(attempt: number, attempts = 3, name: string = JobName.PurgeIdempotencyKeys): Job {
  return {
    id: '42',
    name,
    data: { sandboxId: 'sbx_1', requestId: null },
    opts: { attempts },
    attemptsMade: attempt - 1,
  } as unknown as Job;
}

const failing = (message = 'connection terminated') => ({
  [JobName.PurgeIdempotencyKeys]: async () => {
    throw new Error(message);
  },
});

beforeAll(() => Logger.overrideLogger(false));

describe('a job that fails for good', () => {
  test('its last attempt throws: the failure is recorded with its payload and error, its final-failure handler runs, and BullMQ still gets the error', async () => {
    const onFailure = jest.fn(async () => undefined);
    const processor = new Processor(failing(), { [JobName.PurgeIdempotencyKeys]: onFailure });
    await expect(processor.process(job(3))).rejects.toThrow('connection terminated');
    expect(onFailure).toHaveBeenCalledTimes(1);
    expect(processor.recorded).toEqual([
      {
        queue: 'housekeeping',
        name: JobName.PurgeIdempotencyKeys,
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
    const processor = new Processor(failing(), { [JobName.PurgeIdempotencyKeys]: onFailure });
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
      [JobName.PurgeIdempotencyKeys]: async () => {
        throw new Error('database is down');
      },
    });
    await expect(processor.process(job(3))).rejects.toThrow('connection terminated');
    expect(processor.recorded).toMatchObject([{ error: 'connection terminated', onFailureError: 'database is down' }]);
  });

  test('a job that succeeds on its last attempt is not a failure', async () => {
    const processor = new Processor({ [JobName.PurgeIdempotencyKeys]: async () => undefined });
    await processor.process(job(3));
    expect(processor.recorded).toEqual([]);
  });
});
