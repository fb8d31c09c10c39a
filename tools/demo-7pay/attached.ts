import pg from 'pg';
import { Environment } from '#core';
import { QueueWatch, waitUntilSettled } from '../support/queues.js';
import { developerSettings } from '../support/private-sandbox.js';
import type { SandboxKeys } from './app.js';
import type { Services } from './world.js';

/**
 * A running Wallet Sandbox the replay attaches to (`--attach <url>`): the
 * sandbox's keys come from the environment, and settling looks at the
 * deployment's outbox and queues as its settings (environment, .env) name them.
 */
export class AttachedServices implements Services {
  private readonly pool: pg.Pool;
  private readonly queues: QueueWatch;

  constructor() {
    const settings = developerSettings();
    if (!settings.DATABASE_URL)
      throw new Error("--attach needs the api's DATABASE_URL (and its queue settings), in the environment or .env");
    const named = Object.fromEntries(
      ['DATABASE_URL', 'REDIS_URL', 'REDIS_CLUSTER_NODES', 'QUEUE_BACKEND', 'QUEUE_PREFIX'].flatMap((key) =>
        settings[key] ? [[key, settings[key]]] : [],
      ),
    );
    const env = Object.assign(new Environment(), named);
    this.pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 2, application_name: 'wallet-sandbox-replay' });
    this.queues = new QueueWatch(env);
  }

  settle(): Promise<void> {
    return waitUntilSettled(this.pool, this.queues, 120_000);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.queues.close(), this.pool.end()]);
  }
}

/** The sandbox to replay on, as whoever started the replay passed its keys: in the environment, never on the command line. */
export function keysFromEnvironment(): SandboxKeys | null {
  const { REPLAY_SANDBOX_ID: id, REPLAY_SECRET_KEY: secretKey, REPLAY_PUBLISHABLE_KEY: publishableKey } = process.env;
  return id && secretKey && publishableKey ? { id, secretKey, publishableKey } : null;
}
