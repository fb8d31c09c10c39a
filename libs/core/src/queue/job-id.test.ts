import { describe, expect, test } from '@jest/globals';
import { validateEnvironment } from '../config/environment.js';
import { openQueue } from './queue-backend.js';
import { jobIdOf } from './jobs.js';

describe('custom job ids', () => {
  test('parts are joined into an id BullMQ accepts, the same parts giving the same id', () => {
    const ids = [jobIdOf(['evt_01jd5k', 3]), jobIdOf(['notice', 'ntc_01jd5k', 0]), jobIdOf([12, 4])];
    expect(ids).toEqual(['evt_01jd5k-3', 'notice-ntc_01jd5k-0', '12-4']);
    expect(jobIdOf(['evt_01jd5k', 3])).toBe(ids[0]);
    expect(jobIdOf([42])).toBe('job-42');
  });

  test("a part with BullMQ's key separator, or an empty one, is refused before anything is enqueued", () => {
    expect(() => jobIdOf(['evt_1:2', 3])).toThrow(/free of ':'/);
    expect(() => jobIdOf(['evt_1', ''])).toThrow(/non-empty/);
    expect(() => jobIdOf([])).toThrow(/non-empty/);
  });

  test('BullMQ takes every id it makes, and a second job with the same parts is the same job', async () => {
    // On the run's queue backend, connected as the api and the worker connect.
    const queue = openQueue(validateEnvironment(process.env), 'job-id-check');
    try {
      await queue.obliterate({ force: true });
      for (const key of [['evt_01jd5k', 3], [42], ['a', 'b', 'c', 'd']]) {
        const id = jobIdOf(key);
        expect((await queue.add('x', {}, { jobId: id })).id).toBe(id);
        expect((await queue.add('x', {}, { jobId: jobIdOf(key) })).id).toBe(id);
      }
      expect(await queue.count()).toBe(3);
      await expect(queue.add('x', {}, { jobId: 'evt_01jd5k:3' })).rejects.toThrow(/Custom Id cannot contain :/);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
