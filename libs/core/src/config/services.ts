import pg from 'pg';
import { askEveryServer, openRedis } from '../redis/redis.js';
import { type Environment, EnvironmentError } from './environment.js';

const TIMEOUT_MS = 5_000;

/** Where a service URL points, without its credentials. */
export function locationOf(serviceUrl: string): string {
  const url = new URL(serviceUrl);
  return `${url.hostname}:${url.port || (url.protocol.startsWith('postgres') ? '5432' : '6379')}${url.pathname.length > 1 ? url.pathname : ''}`;
}

/** Which setting names the deployment's Redis, and where that is, without credentials. */
export function redisLocation(env: Environment): { setting: 'REDIS_URL' | 'REDIS_CLUSTER_NODES'; description: string } {
  const nodes = env.redisClusterNodes();
  if (nodes.length === 0) return { setting: 'REDIS_URL', description: `Redis at ${locationOf(env.REDIS_URL as string)}` };
  const where = nodes.map(({ host, port }) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`));
  return { setting: 'REDIS_CLUSTER_NODES', description: `Redis Cluster at ${where.join(', ')}` };
}

function reason(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  return code && !message?.includes(code) ? `${code}: ${message}` : (message ?? String(error));
}

/**
 * Before a process builds anything: the services its settings name answer.
 * A stopped or mistyped one then ends the process with a message naming the
 * setting, not with retries and a stack trace.
 */
export async function assertServicesReachable(env: Environment, uses: { queues: boolean } = { queues: true }): Promise<void> {
  const problems: string[] = [];
  const database = new pg.Client({ connectionString: env.DATABASE_URL, connectionTimeoutMillis: TIMEOUT_MS });
  try {
    await database.connect();
  } catch (error) {
    problems.push(`DATABASE_URL: cannot use PostgreSQL at ${locationOf(env.DATABASE_URL)} (${reason(error)})`);
  } finally {
    await database.end().catch(() => undefined);
  }
  if (uses.queues && env.queueBackend() === 'redis') {
    const redis = openRedis(env, { lazyConnect: true, connectTimeout: TIMEOUT_MS, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      // Every master of a cluster: the queues on one that does not answer would wait for ever.
      await askEveryServer(redis, (server) => server.ping());
    } catch (error) {
      const { setting, description } = redisLocation(env);
      problems.push(`${setting}: cannot use ${description} (${reason(error)})`);
    } finally {
      redis.disconnect();
    }
  }
  if (problems.length > 0) throw new EnvironmentError(problems, 'A service the configuration names does not answer');
}
