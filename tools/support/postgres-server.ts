import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type DatabaseTopology, locationOf } from '#core';
import { EmbeddedDatabase } from './embedded-database.js';

/**
 * The PostgreSQL server a run of its own (the demo, the benchmark, the test
 * suite) makes its databases on: the one DATABASE_URL names (environment, then .env), or
 * without one an embedded server of the run's own, thrown away at the end.
 * With DATABASE_TOPOLOGY=citus the server is a Citus coordinator: a database
 * is made on it and on each of its workers (read from its own `postgres`
 * database), each with the extension, and the workers are added to it.
 */
export class PostgresServer {
  private constructor(
    private readonly adminUrl: string,
    private readonly embedded: EmbeddedDatabase | null,
    private readonly citusWorkers: string[] = [],
  ) {}

  /** `target`: this server rather than the one the settings name (the benchmark's Citus cluster beside the single node). */
  static async open(target?: { url: string; topology: DatabaseTopology }): Promise<PostgresServer> {
    if (existsSync('.env')) process.loadEnvFile('.env');
    const configured = target?.url ?? process.env.DATABASE_URL;
    const topology = target?.topology ?? process.env.DATABASE_TOPOLOGY;
    if (configured) {
      const url = new URL(configured);
      url.pathname = '/postgres';
      const server = new PostgresServer(url.toString(), null);
      return topology === 'citus' ? new PostgresServer(url.toString(), null, await server.workerNodes()) : server;
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

  /** Whether copyDatabase works: a Citus database's shards live on other servers, so it is made and migrated anew instead. */
  get copies(): boolean {
    return this.citusWorkers.length === 0;
  }

  async recreateDatabase(name: string): Promise<void> {
    await this.dropDatabase(name);
    await this.onEveryNode((client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
    if (this.copies) return;
    for (const node of [this.adminUrl, ...this.citusWorkers])
      await this.admin((client) => client.query('CREATE EXTENSION citus'), node, name);
    const coordinator = new URL(this.adminUrl);
    await this.admin(
      async (client) => {
        await client.query('SELECT citus_set_coordinator_host($1, $2)', [coordinator.hostname, Number(coordinator.port || 5432)]);
        for (const worker of this.citusWorkers.map((node) => new URL(node)))
          await client.query('SELECT citus_add_node($1, $2)', [worker.hostname, Number(worker.port || 5432)]);
      },
      this.adminUrl,
      name,
    );
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
    await this.onEveryNode((client) => client.query(`ALTER DATABASE ${client.escapeIdentifier(name)} SET synchronous_commit = off`));
  }

  /** WITH (FORCE) ends sessions a crashed earlier run may have left behind. */
  async dropDatabase(name: string): Promise<void> {
    await this.onEveryNode((client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`));
  }

  async version(): Promise<string> {
    return this.admin(async (client) => (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v);
  }

  /** Stops the embedded server, if the run has one. */
  async close(): Promise<void> {
    await this.embedded?.stop();
  }

  /** The Citus workers added to the coordinator's own `postgres` database, as admin URLs. */
  private async workerNodes(): Promise<string[]> {
    const { rows } = await this.admin((client) =>
      client.query<{ host: string; port: number }>(
        `SELECT nodename AS host, nodeport AS port FROM pg_dist_node WHERE groupid <> 0 AND noderole = 'primary' ORDER BY nodeport`,
      ),
    );
    return rows.map((row) => {
      const url = new URL(this.adminUrl);
      url.hostname = row.host;
      url.port = String(row.port);
      return url.toString();
    });
  }

  private async onEveryNode(work: (client: pg.Client) => Promise<unknown>): Promise<void> {
    for (const node of [this.adminUrl, ...this.citusWorkers]) await this.admin(work, node);
  }

  private async admin<T>(work: (client: pg.Client) => Promise<T>, server = this.adminUrl, database = 'postgres'): Promise<T> {
    const url = new URL(server);
    url.pathname = `/${encodeURIComponent(database)}`;
    const client = new pg.Client({ connectionString: url.toString(), application_name: 'wallet-sandbox-tools' });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }
}
