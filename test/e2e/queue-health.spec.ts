import { describe, expect, test } from '@jest/globals';
import { POSTGRES_QUEUE_SCHEMA } from '#core';
import { useHarness } from '../support/harness.js';

// The api alone: no worker consumes the queues, and taking the queue tables away
// under a running worker would strand its active jobs.
const h = useHarness({ worker: false });
const onPostgres = process.env.QUEUE_BACKEND === 'postgres' ? describe : describe.skip;

describe('health without a worker', () => {
  test('ready is not ready while no worker consumes the queues, and says which queues and how much waits', async () => {
    await h.createSandbox();
    const ready = await h.get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.health.error.workers).toMatchObject({
      status: 'down',
      message: expect.stringContaining('is the worker running?'),
      unconsumed: expect.arrayContaining(['ledger', 'topup', 'webhooks', 'housekeeping']),
      backlog: { waiting: expect.any(Number), active: 0, delayed: expect.any(Number) },
    });
    expect(ready.body.health.details).toMatchObject({ database: { status: 'up' }, queues: { status: 'up' } });
  });
});

onPostgres('health with the queues on PostgreSQL', () => {
  test('the queues are down while their tables cannot be reached, and up again once they can', async () => {
    expect((await h.get('/health/ready')).body.health.details.queues).toEqual({ status: 'up', backend: 'postgres' });
    await h.db.rows(`ALTER SCHEMA ${POSTGRES_QUEUE_SCHEMA} RENAME TO ${POSTGRES_QUEUE_SCHEMA}_away`);
    try {
      const ready = await h.get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.health.error).toMatchObject({ queues: { status: 'down', backend: 'postgres' } });
    } finally {
      await h.db.rows(`ALTER SCHEMA ${POSTGRES_QUEUE_SCHEMA}_away RENAME TO ${POSTGRES_QUEUE_SCHEMA}`);
    }
    expect((await h.get('/health/ready')).body.health.details.queues).toEqual({ status: 'up', backend: 'postgres' });
  });
});
