import { describe, expect, test } from '@jest/globals';
import { EnvironmentError, validateEnvironment } from './environment.js';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/wallet',
  REDIS_URL: 'redis://127.0.0.1:6379',
  ADMIN_TOKEN: 'k7Qw2Zp9Lm4Xc8Vb1Nr6Ts3Yh5Ug0JdA',
};

function problems(raw: Record<string, string>): string[] {
  try {
    validateEnvironment(raw);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(EnvironmentError);
    return (error as EnvironmentError).problems;
  }
}

describe('environment', () => {
  test('the required values with defaults for the rest', () => {
    const env = validateEnvironment(valid);
    expect(env).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      QUEUE_PREFIX: 'wallet-sandbox',
      BODY_LIMIT_BYTES: 65536,
      NODE_ENV: 'development',
    });
    expect(env.publicUrl()).toBe('http://localhost:3000');
  });

  test('numbers are parsed from strings', () => {
    expect(validateEnvironment({ ...valid, PORT: '8080', DB_POOL_SIZE: '5' })).toMatchObject({ PORT: 8080, DB_POOL_SIZE: 5 });
  });

  test('one api and one worker process unless more are asked for, at least one of each', () => {
    expect(validateEnvironment(valid)).toMatchObject({ API_PROCESSES: 1, WORKER_PROCESSES: 1 });
    expect(validateEnvironment({ ...valid, API_PROCESSES: '4', WORKER_PROCESSES: '2' })).toMatchObject({
      API_PROCESSES: 4,
      WORKER_PROCESSES: 2,
    });
    expect(problems({ ...valid, API_PROCESSES: '0', WORKER_PROCESSES: 'many' }).join('\n')).toMatch(/API_PROCESSES[\s\S]*WORKER_PROCESSES/);
  });

  test('each missing value is named', () => {
    expect(problems({})).toEqual(expect.arrayContaining(['DATABASE_URL is required but missing', 'ADMIN_TOKEN is required but missing']));
  });

  test('the queues run on Redis when there is one, else on PostgreSQL, unless QUEUE_BACKEND says', () => {
    const { REDIS_URL, ...withoutRedis } = valid;
    expect(validateEnvironment(valid).queueBackend()).toBe('redis');
    expect(validateEnvironment(withoutRedis).queueBackend()).toBe('postgres');
    expect(validateEnvironment({ ...valid, QUEUE_BACKEND: 'postgres' }).queueBackend()).toBe('postgres');
    expect(validateEnvironment({ ...withoutRedis, QUEUE_BACKEND: 'redis', REDIS_URL }).queueBackend()).toBe('redis');
  });

  test('QUEUE_BACKEND=redis without REDIS_URL, or a backend that does not exist, is refused by name', () => {
    const { REDIS_URL: _, ...withoutRedis } = valid;
    expect(problems({ ...withoutRedis, QUEUE_BACKEND: 'redis' })).toEqual([expect.stringMatching(/^QUEUE_BACKEND=redis needs REDIS_URL/)]);
    expect(problems({ ...valid, QUEUE_BACKEND: 'kafka' })).toEqual(['QUEUE_BACKEND must be one of redis, postgres']);
  });

  test('a Redis Cluster by some of its nodes runs the queues on Redis, each node parsed', () => {
    const { REDIS_URL: _, ...withoutRedis } = valid;
    const env = validateEnvironment({ ...withoutRedis, REDIS_CLUSTER_NODES: '127.0.0.1:7000, redis-b.internal:7001,[::1]:7002' });
    expect(env.queueBackend()).toBe('redis');
    expect(env.redisClusterNodes()).toEqual([
      { host: '127.0.0.1', port: 7000 },
      { host: 'redis-b.internal', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
    expect(validateEnvironment({ ...withoutRedis, QUEUE_BACKEND: 'redis', REDIS_CLUSTER_NODES: '127.0.0.1:7000' }).queueBackend()).toBe(
      'redis',
    );
    expect(validateEnvironment(valid).redisClusterNodes()).toEqual([]);
  });

  test('REDIS_CLUSTER_NODES that is not a host:port list, or with a port out of range, is refused by name', () => {
    const { REDIS_URL: _, ...withoutRedis } = valid;
    for (const nodes of ['redis://127.0.0.1:7000', '127.0.0.1', '127.0.0.1:7000,', 'a b:7000', '127.0.0.1:7000;127.0.0.1:7001']) {
      expect(problems({ ...withoutRedis, REDIS_CLUSTER_NODES: nodes })).toEqual([
        expect.stringMatching(/^REDIS_CLUSTER_NODES must be a comma-separated list of host:port/),
      ]);
    }
    expect(problems({ ...withoutRedis, REDIS_CLUSTER_NODES: '127.0.0.1:7000,127.0.0.1:70000' })).toEqual([
      'REDIS_CLUSTER_NODES has ports out of range (1-65535): 70000',
    ]);
  });

  test('REDIS_URL and REDIS_CLUSTER_NODES together are refused, naming both', () => {
    expect(problems({ ...valid, REDIS_CLUSTER_NODES: '127.0.0.1:7000' })).toEqual([
      expect.stringMatching(/^REDIS_URL and REDIS_CLUSTER_NODES are both set/),
    ]);
  });

  test('each bad value is named', () => {
    const found = problems({
      ...valid,
      DATABASE_URL: 'mysql://x',
      REDIS_URL: 'http://x',
      ADMIN_TOKEN: 'short',
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      QUEUE_PREFIX: 'has space',
    });
    expect(found.join('\n')).toMatch(/DATABASE_URL/);
    expect(found.join('\n')).toMatch(/REDIS_URL/);
    expect(found.join('\n')).toMatch(/ADMIN_TOKEN/);
    expect(found.join('\n')).toMatch(/PORT/);
    expect(found.join('\n')).toMatch(/LOG_LEVEL/);
    expect(found.join('\n')).toMatch(/QUEUE_PREFIX/);
  });

  test('an empty value counts as missing', () => {
    expect(problems({ ...valid, DATABASE_URL: '' })).toEqual(['DATABASE_URL is required but missing']);
  });
});

describe('keys and credentials', () => {
  const SECRETS_KEY = 'pR4vN8qL2xT6mZ0cW3bK7hJ1sF5dG9yE';

  test('production refuses to start without SECRETS_KEY; development and test fall back', () => {
    expect(problems({ ...valid, NODE_ENV: 'production' })).toEqual([expect.stringMatching(/^SECRETS_KEY is required in production/)]);
    expect(problems({ ...valid, NODE_ENV: 'production', SECRETS_KEY })).toEqual([]);
    expect(validateEnvironment({ ...valid, NODE_ENV: 'development' }).secretsKeys()).toEqual({ current: null, previous: [] });
    expect(problems({ ...valid, NODE_ENV: 'test' })).toEqual([]);
  });

  test('the placeholders of .env.example and the docs are refused by name', () => {
    expect(problems({ ...valid, ADMIN_TOKEN: 'change-me-to-a-long-random-string-of-40-chars' })).toEqual([
      expect.stringMatching(/^ADMIN_TOKEN is a placeholder/),
    ]);
    expect(problems({ ...valid, SECRETS_KEY: 'change-me-to-another-long-random-string-of-40-chars' })).toEqual([
      expect.stringMatching(/^SECRETS_KEY is a placeholder/),
    ]);
  });

  test('weak values are refused: one character repeated, a short run repeated, too short', () => {
    expect(problems({ ...valid, SECRETS_KEY: 'a'.repeat(40) })).toEqual([expect.stringMatching(/^SECRETS_KEY has fewer than 8 distinct/)]);
    expect(problems({ ...valid, ADMIN_TOKEN: '0123456789abcdef'.repeat(3) })).toEqual([expect.stringMatching(/^ADMIN_TOKEN repeats/)]);
    expect(problems({ ...valid, JWT_SECRET: 'x1y2'.repeat(10) })).toEqual([expect.stringMatching(/^JWT_SECRET/)]);
    expect(problems({ ...valid, SECRETS_KEY: 'short' })).toEqual(['SECRETS_KEY must be at least 32 characters']);
  });

  test('SECRETS_KEY is not the admin token, and earlier keys are listed apart from it', () => {
    expect(problems({ ...valid, SECRETS_KEY: valid.ADMIN_TOKEN })).toEqual([
      expect.stringMatching(/^SECRETS_KEY must differ from ADMIN_TOKEN/),
    ]);
    const older = 'Ht6wQ1zR8kM3vX5cB9nL2pF7sD0gJ4yA';
    const oldest = 'Ub2eY7rI4oP9aS1dF6gH3jK8lZ5xC0vN';
    expect(validateEnvironment({ ...valid, SECRETS_KEY, SECRETS_KEY_PREVIOUS: `${older}, ${oldest}` }).secretsKeys()).toEqual({
      current: SECRETS_KEY,
      previous: [older, oldest],
    });
    expect(problems({ ...valid, SECRETS_KEY, SECRETS_KEY_PREVIOUS: SECRETS_KEY })).toEqual([
      expect.stringMatching(/lists the current SECRETS_KEY/),
    ]);
  });
});
