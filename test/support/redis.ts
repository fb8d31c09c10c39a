import { type RedisClient, askEveryServer, openRedis, validateEnvironment } from '#core';

/** A connection to the run's Redis, server or cluster, opened as the processes open theirs. */
export function openTestRedis(): RedisClient {
  return openRedis(validateEnvironment(process.env));
}

/**
 * Cuts, from the server's side, the notice subscriptions of the processes
 * under a key prefix, as a network failure or a restart would; on a cluster
 * each process subscribes on a node of its own choosing. Returns how many.
 */
export async function cutNoticeSubscriptions(prefix: string): Promise<number> {
  const redis = openTestRedis();
  try {
    const cut = await askEveryServer(redis, async (server) => {
      const clients = (await server.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
      const ids = clients
        .split('\n')
        .filter((line) => line.includes(` name=${prefix}:notices `))
        .map((line) => /^id=(\d+)/.exec(line)![1]);
      for (const id of ids) await server.call('CLIENT', 'KILL', 'ID', id);
      return ids.length;
    });
    return cut.reduce((total, n) => total + n, 0);
  } finally {
    await redis.quit();
  }
}
