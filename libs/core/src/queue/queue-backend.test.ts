import { describe, expect, test } from '@jest/globals';
import { validateEnvironment } from '../config/environment.js';
import { queuePrefix } from './queue-backend.js';

const base = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/wallet',
  ADMIN_TOKEN: 'k7Qw2Zp9Lm4Xc8Vb1Nr6Ts3Yh5Ug0JdA',
  QUEUE_PREFIX: 'acme',
};

describe('the key prefix of a queue', () => {
  test('on one Redis server, QUEUE_PREFIX as it always was', () => {
    expect(queuePrefix(validateEnvironment({ ...base, REDIS_URL: 'redis://127.0.0.1:6379' }), 'ledger')).toBe('acme');
  });

  test('on a Redis Cluster, QUEUE_PREFIX then the queue as a hash tag: one slot per queue, a slot of its own', () => {
    const env = validateEnvironment({ ...base, REDIS_CLUSTER_NODES: '127.0.0.1:7000' });
    expect(queuePrefix(env, 'ledger')).toBe('acme:{ledger}');
    expect(queuePrefix(env, 'webhooks')).toBe('acme:{webhooks}');
  });

  test('none on PostgreSQL, whatever Redis settings there are', () => {
    expect(queuePrefix(validateEnvironment(base), 'ledger')).toBeUndefined();
    expect(
      queuePrefix(validateEnvironment({ ...base, REDIS_CLUSTER_NODES: '127.0.0.1:7000', QUEUE_BACKEND: 'postgres' }), 'ledger'),
    ).toBeUndefined();
  });
});
