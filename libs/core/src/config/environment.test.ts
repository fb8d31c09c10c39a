import { describe, expect, test } from '@jest/globals';
import { EnvironmentError, validateEnvironment } from './environment.js';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/wallet',
  REDIS_URL: 'redis://127.0.0.1:6379',
  ADMIN_TOKEN: 'a'.repeat(32),
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
