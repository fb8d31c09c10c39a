import { describe, expect, test } from '@jest/globals';
import { jobIdOf, openQueue, validateEnvironment } from '#core';

describe('custom job ids on the queue backend', () => {
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
