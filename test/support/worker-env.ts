// Each Jest worker uses its own database and Redis key prefix (see global-setup.ts); on a Redis
// Cluster each queue's hash tag follows the prefix (`<prefix>:{<queue>}`), so the workers' queues stay apart.
const worker = process.env.JEST_WORKER_ID ?? '1';
process.env.DATABASE_URL = `${process.env.TEST_POSTGRES_SERVER}/${process.env.TEST_DATABASE_BASE}_w${worker}`;
process.env.QUEUE_PREFIX = `${process.env.TEST_QUEUE_PREFIX}_w${worker}`;
