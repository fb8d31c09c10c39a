import { describe, expect, test } from '@jest/globals';
import { POSTGRES_QUEUE_SCHEMA } from '#core';
import { useHarness } from '../support/harness.js';

// The api alone: taking the queue tables away under a running worker would strand its active jobs.
const h = useHarness({ worker: false });
const onPostgres = process.env.QUEUE_BACKEND === 'postgres' ? describe : describe.skip;

onPostgres('health with the queues on PostgreSQL', () => {
  test('ready is not ready while the queue tables cannot be reached, and ready again once they can', async () => {
    expect((await h.get('/health/ready')).status).toBe(200);
    await h.db.rows(`ALTER SCHEMA ${POSTGRES_QUEUE_SCHEMA} RENAME TO ${POSTGRES_QUEUE_SCHEMA}_away`);
    try {
      const ready = await h.get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.health.error).toMatchObject({ queues: { status: 'down', backend: 'postgres' } });
    } finally {
      await h.db.rows(`ALTER SCHEMA ${POSTGRES_QUEUE_SCHEMA}_away RENAME TO ${POSTGRES_QUEUE_SCHEMA}`);
    }
    expect((await h.get('/health/ready')).body.details.queues).toEqual({ status: 'up', backend: 'postgres' });
  });
});
