import { describe, expect, test } from '@jest/globals';
import { validateEnvironment } from './environment.js';
import { redisLocation } from './services.js';

const base = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/wallet', ADMIN_TOKEN: 'k7Qw2Zp9Lm4Xc8Vb1Nr6Ts3Yh5Ug0JdA' };

describe('where the settings point', () => {
  test('Redis is told by the setting that names it, without credentials', () => {
    expect(redisLocation(validateEnvironment({ ...base, REDIS_URL: 'redis://user:s3cret@cache.internal:6380/2' }))).toEqual({
      setting: 'REDIS_URL',
      description: 'Redis at cache.internal:6380/2',
    });
    expect(redisLocation(validateEnvironment({ ...base, REDIS_CLUSTER_NODES: '10.0.0.1:7000, [::1]:7001' }))).toEqual({
      setting: 'REDIS_CLUSTER_NODES',
      description: 'Redis Cluster at 10.0.0.1:7000, [::1]:7001',
    });
  });
});
