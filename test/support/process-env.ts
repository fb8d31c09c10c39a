/**
 * The settings a built process of the project runs with in a test, and no
 * others (no developer's .env, no stray variable): this Jest worker's
 * database, queue backend and keys, and queues of its own under `queues`.
 */
export function builtProcessEnv(queues: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    DATABASE_URL: process.env.DATABASE_URL,
    DATABASE_TOPOLOGY: process.env.DATABASE_TOPOLOGY,
    REDIS_URL: process.env.REDIS_URL,
    REDIS_CLUSTER_NODES: process.env.REDIS_CLUSTER_NODES,
    QUEUE_BACKEND: process.env.QUEUE_BACKEND,
    ADMIN_TOKEN: process.env.ADMIN_TOKEN,
    // The key the run's api sealed with: what these processes open, a rotation included.
    SECRETS_KEY: process.env.SECRETS_KEY,
    QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}_${queues}`,
  };
}
