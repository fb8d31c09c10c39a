import { once } from 'node:events';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { Environment } from '../config/environment.js';

/** The deployment's Redis: one server (REDIS_URL) or a Redis Cluster (REDIS_CLUSTER_NODES). */
export type RedisClient = Redis | Cluster;

/** How long a check waits for a cluster client that is still connecting. */
const CLUSTER_READY_MS = 5_000;

/** The Redis client of the process, or null when the queues, throttles and notices live in PostgreSQL. */
export const REDIS = Symbol('REDIS');

/**
 * A new connection to the deployment's Redis, server or cluster, with the
 * options one server's connection takes: on a cluster they apply to each
 * node's connection, and `retryStrategy` to finding the cluster again.
 */
export function openRedis(env: Environment, options: RedisOptions = {}): RedisClient {
  const nodes = env.redisClusterNodes();
  if (nodes.length === 0) return new Redis(env.REDIS_URL as string, options);
  const { lazyConnect, enableOfflineQueue, retryStrategy, ...eachNode } = options;
  return new Cluster(nodes, { lazyConnect, enableOfflineQueue, clusterRetryStrategy: retryStrategy, redisOptions: eachNode });
}

/**
 * Runs `ask` on every server that holds keys: the one server, or every
 * master in the cluster's slot map, read again first so that a master that
 * went away is still asked (and fails) and one that came back is asked
 * again. On a cluster, a master failing, or seeing the cluster's state other
 * than ok, fails the whole, naming the master.
 */
export async function askEveryServer<T>(redis: RedisClient, ask: (server: Redis) => Promise<T>): Promise<T[]> {
  if (!(redis instanceof Cluster)) return [await ask(redis)];
  await clusterReady(redis);
  await new Promise<void>((resolve, reject) => redis.refreshSlotsCache((error) => (error ? reject(error) : resolve())));
  return Promise.all(
    redis.nodes('master').map(async (master) => {
      try {
        const state = /^cluster_state:(\w+)/m.exec(await master.cluster('INFO'))?.[1];
        if (state !== 'ok') throw new Error(`cluster_state is ${state}`);
        return await ask(master);
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        throw new Error(`node ${master.options.host}:${master.options.port}: ${why}`, { cause: error });
      }
    }),
  );
}

/** Until the client knows the cluster's slot map (it reads it again from the nodes it knows), for a few seconds at most. */
async function clusterReady(cluster: Cluster): Promise<void> {
  if (cluster.status === 'wait') await cluster.connect();
  if (cluster.status === 'ready') return;
  try {
    await once(cluster, 'ready', { signal: AbortSignal.timeout(CLUSTER_READY_MS) });
  } catch (error) {
    const why = error instanceof Error && error.name !== 'AbortError' ? `: ${error.message}` : '';
    throw new Error(`no connection to the Redis Cluster (${cluster.status})${why}`, { cause: error });
  }
}

/**
 * Deletes the keys matching `pattern` on every server, one key per command:
 * on a cluster, keys of different slots cannot go in one DEL, even on one node.
 */
export async function deleteRedisKeys(redis: RedisClient, pattern: string): Promise<number> {
  const deleted = await askEveryServer(redis, async (server) => {
    let count = 0;
    let cursor = '0';
    do {
      const [next, keys] = await server.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) {
        const pipeline = server.pipeline();
        for (const key of keys) pipeline.del(key);
        for (const [error, one] of (await pipeline.exec()) ?? []) {
          if (error) throw error;
          count += one as number;
        }
      }
      cursor = next;
    } while (cursor !== '0');
    return count;
  });
  return deleted.reduce((total, count) => total + count, 0);
}

/**
 * A connection for SUBSCRIBE, named for CLIENT LIST, to the server or to one
 * node of the cluster (a PUBLISH reaches every node). ioredis's own cluster
 * subscriber moves to another node without a word, and a listener must know
 * it may have missed messages: this one ends after a few failed tries
 * instead, and its owner opens the next, which may pick another node.
 */
export function subscriberConnection(redis: RedisClient, env: Environment, connectionName: string): Redis {
  if (!(redis instanceof Cluster)) return redis.duplicate({ connectionName });
  const known = redis.nodes().map((node) => ({ host: node.options.host as string, port: node.options.port as number }));
  const nodes = known.length > 0 ? known : env.redisClusterNodes();
  const { host, port } = nodes[Math.floor(Math.random() * nodes.length)];
  const retryStrategy = (times: number) => (times > 3 ? null : 200 * times);
  // Its commands wait for it to end rather than fail on the way: the next connection subscribes again.
  return new Redis({ ...redis.options.redisOptions, host, port, connectionName, retryStrategy, maxRetriesPerRequest: null });
}

@Injectable()
export class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: RedisClient | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}

export const redisProvider = {
  provide: REDIS,
  inject: [Environment],
  useFactory: (env: Environment): RedisClient | null =>
    env.queueBackend() === 'redis' ? openRedis(env, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false }) : null,
};
