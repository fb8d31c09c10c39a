import { describe, expect, it } from '@jest/globals';
import { type BackendRun, compareRuns, metric, renderComparison, renderTable } from './report.js';
import { captureRun } from './test-runs.js';

const run = (topology: BackendRun['topology'], perSecond: number, baseline: number): BackendRun =>
  captureRun([metric('captures/s', 'ops/s', perSecond, baseline), metric('non-2xx responses', 'count', 0, 0)], topology);

describe('compareRuns', () => {
  const single = run('single', 400, 1000);
  const citus = run('citus', 100, 250);

  it('sets each figure of the subject against the reference, keyed by setup, the counts aside', () => {
    expect(compareRuns(citus, single)).toEqual({
      subject: 'redis · citus',
      reference: 'redis',
      rows: [
        {
          scenario: 'capture',
          metric: 'captures/s',
          unit: 'ops/s',
          value: { redis: 400, 'redis · citus': 100 },
          ratio: 0.25,
          baseline: { redis: 1000, 'redis · citus': 250 },
          baselineRatio: 0.25,
        },
      ],
    });
  });

  it('heads the table with the two setups, reference first', () => {
    expect(renderComparison(compareRuns(citus, single)).split('\n')[0]).toMatch(
      /^scenario +metric +redis +redis · citus +ratio +baseline: redis +redis · citus +ratio$/,
    );
  });

  it('names each run by its setup in the first column', () => {
    const rows = renderTable([single, citus]).split('\n');
    expect(rows[2]).toMatch(/^redis +capture/);
    expect(rows[4]).toMatch(/^redis · citus +capture/);
  });
});
