import { describe, expect, test } from '@jest/globals';
import { DomainError } from '../errors/domain-error.js';
import { FairConcurrency } from './fair-concurrency.js';

/** A task that runs until released, recording how many ran at once. */
function gate() {
  let running = 0;
  let most = 0;
  const waiting: Array<() => void> = [];
  const task = () => {
    running += 1;
    most = Math.max(most, running);
    return new Promise<void>((resolve) =>
      waiting.push(() => {
        running -= 1;
        resolve();
      }),
    );
  };
  const releaseAll = () => waiting.splice(0).forEach((release) => release());
  return { task, releaseAll, most: () => most, running: () => running };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('a fair cap on costly work', () => {
  test('a flooding key holds at most its share, so a quiet key starts at once', async () => {
    const limits = new FairConcurrency({ concurrency: 4, perKey: 3, queuedPerKey: 100, waitMs: 10_000 });
    const flood = gate();
    const floods = Array.from({ length: 50 }, () => limits.run('flooding', flood.task));
    await settle();
    expect(flood.running()).toBe(3);
    let quietRan = false;
    await limits.run('quiet', async () => {
      quietRan = true;
    });
    expect(quietRan).toBe(true);
    while (flood.running() > 0) {
      flood.releaseAll();
      await settle();
    }
    await Promise.all(floods);
    expect(flood.most()).toBe(3);
    expect(limits.runs).toBe(51);
    await settle();
    expect(limits.busyKeys).toBe(0);
  });

  test('beyond the queue bound or the wait bound, a task is refused with server_busy and Retry-After, and never runs', async () => {
    const limits = new FairConcurrency({ concurrency: 2, perKey: 1, queuedPerKey: 2, waitMs: 50 });
    const slow = gate();
    const first = limits.run('k', slow.task);
    const queued = [limits.run('k', slow.task), limits.run('k', slow.task)];
    const refused = await limits.run('k', slow.task).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: 'server_busy', headers: { 'Retry-After': '1' } });
    for (const waited of await Promise.allSettled(queued))
      expect(waited).toMatchObject({ status: 'rejected', reason: { code: 'server_busy' } });
    expect(limits.runs).toBe(1);
    slow.releaseAll();
    await first;
    await limits.run('k', async () => undefined);
    expect(limits.runs).toBe(2);
  });
});
