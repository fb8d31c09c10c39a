import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import type { Database } from '../database/database.js';
import { type NoticeChannel, type NoticeListener, Notices } from './notices.js';

const RECONNECT_MS = { first: 250, max: 5_000 };

/**
 * Notices over PostgreSQL's LISTEN/NOTIFY, for deployments without Redis. A
 * NOTIFY reaches the sessions listening in the same database, which is the
 * deployment. One connection per process listens; it is opened again after
 * a loss, and the listeners are told they may have missed messages.
 */
export class PostgresNotices extends Notices implements OnApplicationShutdown {
  private readonly logger = new Logger(PostgresNotices.name);
  private readonly listeners = new Map<string, NoticeListener[]>();
  private listening?: Promise<pg.Client>;
  private closed = false;

  constructor(
    private readonly db: Database,
    private readonly databaseUrl: string,
  ) {
    super();
  }

  async publish(channel: NoticeChannel, payload: string): Promise<void> {
    await this.db.rows(`SELECT pg_notify($1, $2)`, [this.key(channel), payload]);
  }

  async subscribe(channel: NoticeChannel, listener: NoticeListener): Promise<void> {
    const key = this.key(channel);
    const listeners = this.listeners.get(key) ?? [];
    this.listeners.set(key, [...listeners, listener]);
    this.listening ??= this.connect(RECONNECT_MS.first);
    const client = await this.listening;
    if (listeners.length === 0) await client.query(`LISTEN ${client.escapeIdentifier(key)}`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    const client = await this.listening?.catch(() => undefined);
    await client?.end().catch(() => undefined);
  }

  /** Connects and listens to every channel with listeners, retrying with a growing pause until it can. */
  private async connect(pauseMs: number): Promise<pg.Client> {
    for (;;) {
      const client = new pg.Client({ connectionString: this.databaseUrl, application_name: 'wallet-sandbox-notices', keepAlive: true });
      try {
        await client.connect();
        for (const key of this.listeners.keys()) await client.query(`LISTEN ${client.escapeIdentifier(key)}`);
      } catch (error) {
        await client.end().catch(() => undefined);
        if (this.closed) throw error;
        this.logger.warn(`cannot listen (${String(error)}); trying again in ${pauseMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
        pauseMs = Math.min(pauseMs * 2, RECONNECT_MS.max);
        continue;
      }
      client.on('notification', ({ channel, payload }) => this.listeners.get(channel)?.forEach((l) => l.message(payload ?? '')));
      let lost = false;
      const onLost = (error: Error): void => {
        if (lost) return;
        lost = true;
        this.lost(client, error);
      };
      client.on('error', onLost);
      client.on('end', () => onLost(new Error('connection ended')));
      return client;
    }
  }

  private lost(client: pg.Client, error: Error): void {
    if (this.closed) return;
    void client.end().catch(() => undefined);
    this.logger.warn(`listening connection lost (${error.message}); reconnecting`);
    this.listening = this.connect(RECONNECT_MS.first);
    void this.listening.then(
      () => this.listeners.forEach((listeners) => listeners.forEach((l) => l.missed?.())),
      () => undefined,
    );
  }

  private key(channel: NoticeChannel): string {
    return `wallet-sandbox:${channel}`;
  }
}
