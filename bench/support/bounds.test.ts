import { describe, expect, it } from '@jest/globals';
import { cpuRatioBound } from './bounds.js';
import type { CpuUse } from './cpu.js';
import { type BackendRun, metric, renderBounds } from './report.js';
import { captureRun } from './test-runs.js';

/** CPU over a 10 s stretch, given in seconds per process. */
const use = (seconds: Partial<CpuUse['seconds']>): CpuUse => ({
  wallMs: 10_000,
  seconds: { api: null, worker: null, postgres: null, runner: null, machine: null, ...seconds },
});

describe('cpuRatioBound', () => {
  it('gives the ceiling at equal CPU and what the subject spends beyond the baseline, per operation', () => {
    // 1,000 operations each: the subject spends 4 ms of machine CPU per operation, the baseline 2 ms.
    const subject = use({ api: 1, worker: 0.5, postgres: 2, runner: 0.3, machine: 4 });
    const baseline = use({ api: 0.2, worker: 0.1, postgres: 1.5, runner: 0.2, machine: 2 });
    const text = cpuRatioBound(
      'capture',
      { name: 'HTTP', cpu: subject, ops: 1000 },
      { name: 'the raw statement', cpu: baseline, ops: 1000 },
    );
    expect(text).toContain(
      'the api 10 % of one core (one event loop to a process); 4.00 ms of CPU per capture (api 1.00, worker 0.50, PostgreSQL 2.00, runner 0.30)',
    );
    expect(text).toContain('against 2.00 ms for the raw statement');
    expect(text).toContain('a ceiling of 0.50× at equal CPU');
    expect(text).toContain('api +0.80, worker +0.40, PostgreSQL +0.50, runner +0.10');
  });

  it('leaves out the processes a side did not measure, and names the baseline’s own', () => {
    const subject = use({ api: 1, postgres: 1, machine: 2 });
    const baseline = use({ api: 0.5, postgres: 1, machine: 1.5 });
    const text = cpuRatioBound(
      'request',
      { name: 'HTTP', cpu: subject, ops: 1000 },
      { name: 'the bare service', cpu: baseline, ops: 1000, names: { api: 'bare service' } },
    );
    expect(text).toContain('(bare service 0.50, PostgreSQL 1.00)');
    expect(text).toContain('a ceiling of 0.75×');
    expect(text).toMatch(/per request: api \+0\.50$/);
  });
});

describe('renderBounds', () => {
  const run = (ratio: number): BackendRun =>
    captureRun([
      metric('captures/s', 'ops/s', ratio * 1000, 1000, { on: 'ratio', op: '>=', target: 0.7, required: false, bound: 'CPU per capture' }),
      metric('non-2xx responses', 'count', 0, 0, { on: 'value', op: '=', target: 0, required: true }),
    ]);

  it('prints each missed goal with what bounds it', () => {
    expect(renderBounds([run(0.5)])).toBe(
      'What bounds each missed goal, measured in this run:\n- redis capture, captures/s (ratio ≥ 0.7 missed): CPU per capture',
    );
  });

  it('prints nothing when every goal is met', () => {
    expect(renderBounds([run(0.8)])).toBe('');
  });
});
