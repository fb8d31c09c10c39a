import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { locationOf } from '#core';
import { EmbeddedDatabase } from './embedded-database.js';

/**
 * The PostgreSQL server a run of its own (the demo, the benchmark, the test
 * suite) makes its databases on: the one DATABASE_URL names (environment, then .env), or
 * without one an embedded server of the run's own, thrown away at the end.
 */
export class PostgresServer {
  private constructor(
    private readonly adminUrl: string,
    private readonly embedded: EmbeddedDatabase | null,
  ) {}

  static async open(): Promise<PostgresServer> {
    if (existsSync('.env')) process.loadEnvFile('.env');
    const configured = process.env.DATABASE_URL;
    if (configured) {
      const url = new URL(configured);
      url.pathname = '/postgres';
      return new PostgresServer(url.toString(), null);
    }
    const embedded = await EmbeddedDatabase.start(mkdtempSync(join(tmpdir(), 'wallet-sandbox-run-')), 'scratch');
    return new PostgresServer(embedded.url(), embedded);
  }

  /** The server's URL without a database: `${serverUrl}/<name>` reaches one of its databases. */
  get serverUrl(): string {
    return this.adminUrl.replace(/\/postgres$/, '');
  }

  /** What a report says of the server. */
  get description(): string {
    return this.embedded
      ? `an embedded PostgreSQL of the run's own`
      : `PostgreSQL at ${locationOf(this.adminUrl).replace(/\/postgres$/, '')}`;
  }

  databaseUrl(name: string): string {
    const url = new URL(this.adminUrl);
    url.pathname = `/${encodeURIComponent(name)}`;
    return url.toString();
  }

  async recreateDatabase(name: string): Promise<void> {
    await this.dropDatabase(name);
    await this.admin((client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  }

  /** A new database that starts as a copy of another (which nobody may be connected to). */
  async copyDatabase(from: string, to: string): Promise<void> {
    await this.admin((client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(to)} TEMPLATE ${client.escapeIdentifier(from)}`));
  }

  /**
   * Commits in this database stop waiting for the WAL to reach the disk (a
   * crash may lose the last ones, never corrupt it): for a database thrown
   * away after its run, whose tests commit thousands of times.
   */
  async commitAsynchronously(name: string): Promise<void> {
    await this.admin((client) => client.query(`ALTER DATABASE ${client.escapeIdentifier(name)} SET synchronous_commit = off`));
  }

  /** WITH (FORCE) ends sessions a crashed earlier run may have left behind. */
  async dropDatabase(name: string): Promise<void> {
    await this.admin((client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`));
  }

  async version(): Promise<string> {
    return this.admin(async (client) => (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v);
  }

  /** Stops the embedded server, if the run has one. */
  async close(): Promise<void> {
    await this.embedded?.stop();
  }

  private async admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: this.adminUrl, application_name: 'wallet-sandbox-tools' });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }
}
