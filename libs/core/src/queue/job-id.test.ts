import { describe, expect, test } from '@jest/globals';
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
});
