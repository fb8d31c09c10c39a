import { Redis } from 'ioredis';
import pg from 'pg';
import { type Environment, EnvironmentError } from './environment.js';

const TIMEOUT_MS = 5_000;

/** Where a service URL points, without its credentials. */
export function locationOf(serviceUrl: string): string {
  const url = new URL(serviceUrl);
  return `${url.hostname}:${url.port || (url.protocol.startsWith('postgres') ? '5432' : '6379')}${url.pathname.length > 1 ? url.pathname : ''}`;
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
    const redis = new Redis(env.REDIS_URL as string, {
      lazyConnect: true,
      connectTimeout: TIMEOUT_MS,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      await redis.ping();
    } catch (error) {
      problems.push(`REDIS_URL: cannot use Redis at ${locationOf(env.REDIS_URL as string)} (${reason(error)})`);
    } finally {
      redis.disconnect();
    }
  }
  if (problems.length > 0) throw new EnvironmentError(problems, 'A service the configuration names does not answer');
}
