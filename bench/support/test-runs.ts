import type { DatabaseTopology } from '#core';
import type { BackendRun, Metric } from './report.js';

/** A finished run of one `capture` scenario with these metrics, for the report's unit tests. */
export function captureRun(metrics: Metric[], topology: DatabaseTopology = 'single'): BackendRun {
  return {
    queueBackend: 'redis',
    topology,
    nodes: null,
    startedAt: '',
    finishedAt: '',
    loadAverage: { atStart: 0, atEnd: 0 },
    databaseConnections: null,
    failures: [],
    reconciliation: null,
    scenarios: [{ scenario: 'capture', measures: '', baseline: '', problems: [], details: {}, metrics }],
  };
}
