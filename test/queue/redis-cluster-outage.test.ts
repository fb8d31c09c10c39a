import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { useHarness } from '../support/harness.js';

/**
 * A Redis Cluster that loses a master, as a cluster run sees it
 * (REDIS_CLUSTER_NODES set): the api on a cluster of its own, started with
 * .ci/redis-cluster on ports 7100-7102, so stopping one of its nodes leaves
 * the run's cluster alone.
 */
const onCluster = process.env.REDIS_CLUSTER_NODES ? describe : describe.skip;
const PORTS = [7100, 7101, 7102];
const directory = join(tmpdir(), `ws-cluster-${process.pid}`);
const cluster = (command: 'start' | 'stop') =>
  execFileSync('.ci/redis-cluster', [command], {
    env: { ...process.env, REDIS_CLUSTER_PORTS: PORTS.join(' '), REDIS_CLUSTER_DIR: directory },
    stdio: 'pipe',
  });
const runCluster = process.env.REDIS_CLUSTER_NODES;

if (runCluster) {
  // Before the harness's own hooks: the api starts on this cluster.
  beforeAll(() => {
    cluster('start');
    process.env.REDIS_CLUSTER_NODES = PORTS.map((port) => `127.0.0.1:${port}`).join(',');
  });
}
// The api alone: a worker would only add its own complaints.
const h = useHarness({ worker: false });
if (runCluster) {
  afterAll(() => {
    cluster('stop');
    process.env.REDIS_CLUSTER_NODES = runCluster;
  });
}

async function queuesCheck(): Promise<{ status: number; queues: Record<string, unknown> }> {
  const ready = await h.get('/health/ready');
  return { status: ready.status, queues: (ready.body.health ?? ready.body).details.queues };
}

onCluster('health on a Redis Cluster that loses a master', () => {
  test('ready is not ready while a master does not answer, naming it, and ready again once it is back', async () => {
    expect((await queuesCheck()).queues).toEqual({ status: 'up', backend: 'redis', maxmemoryPolicy: 'noeviction' });

    execFileSync('redis-cli', ['-p', String(PORTS[1]), 'shutdown', 'nosave'], { stdio: 'pipe' });
    try {
      const down = await queuesCheck();
      expect(down.status).toBe(503);
      expect(down.queues).toEqual({ status: 'down', backend: 'redis', message: expect.stringContaining(`127.0.0.1:${PORTS[1]}`) });
    } finally {
      cluster('start');
    }

    const deadline = Date.now() + 30_000;
    let back = await queuesCheck();
    while (back.queues.status !== 'up' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      back = await queuesCheck();
    }
    expect(back.queues).toEqual({ status: 'up', backend: 'redis', maxmemoryPolicy: 'noeviction' });
  });
});
