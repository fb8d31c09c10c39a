import pg from 'pg';
import { type DatabaseTopology, EnvironmentError, migrateQueueSchema } from '#core';
import { distributeSchema } from './citus.js';
import { type Definition, readDefinitions, readMigrations, repositoryRoot, type SchemaFile } from './schema-files.js';

/** Held for the whole run: two processes starting at once migrate one after the other. */
const MIGRATE_LOCK = 7_352_001;

export interface SchemaFiles {
  migrations: SchemaFile[];
  definitions: Definition[];
}

/**
 * Brings a database up to the files: applies the pending migrations in
 * timestamp order, each in its own transaction; then (re)applies every
 * function and view whose file changed or which the database lacks, in
 * dependency order; then BullMQ's own tables (used when the queues run on
 * PostgreSQL; ready either way, so switching the queue backend needs no
 * migration). A migration changed after it was applied stops the run. On a
 * Citus coordinator (`topology` citus), it then distributes every table not
 * yet distributed (see citus.ts). Returns what it applied.
 */
export async function runMigrations(databaseUrl: string, files?: SchemaFiles, topology: DatabaseTopology = 'single'): Promise<string[]> {
  const root = files ? undefined : repositoryRoot();
  const { migrations, definitions } = files ?? { migrations: readMigrations(root), definitions: readDefinitions(root) };
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'wallet-sandbox-migrate' });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATE_LOCK]);
    await createHistoryTables(client);
    const applied = [...(await applyMigrations(client, migrations)), ...(await applyDefinitions(client, definitions))];
    if (topology === 'citus') applied.push(...(await distributeSchema(client)));
    await migrateQueueSchema(databaseUrl);
    return applied;
  } finally {
    await client.end();
  }
}

async function createHistoryTables(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ found: boolean }>(`SELECT to_regclass('public.schema_migrations') IS NOT NULL AS found`);
  if (rows[0].found)
    throw new EnvironmentError(
      [
        'This database holds a schema from an unreleased version of Wallet Sandbox, from before its schema history began; ' +
          'it cannot be upgraded. Drop it (its money is fake) and run the migrations again: with npm start, delete .wallet-sandbox/postgres.',
      ],
      'The database cannot be migrated',
    );
  await client.query(`
    CREATE TABLE IF NOT EXISTS schema_history (
      name       text PRIMARY KEY,
      module     text NOT NULL,
      checksum   text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE IF NOT EXISTS schema_definitions (
      name       text PRIMARY KEY,
      module     text NOT NULL,
      checksum   text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
}

async function applyMigrations(client: pg.Client, migrations: SchemaFile[]): Promise<string[]> {
  const { rows } = await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_history');
  const history = new Map(rows.map((row) => [row.name, row.checksum]));
  const applied: string[] = [];
  for (const migration of migrations) {
    const checksum = history.get(migration.name);
    if (checksum === migration.checksum) continue;
    if (checksum !== undefined)
      throw new EnvironmentError(
        [`${migration.path} changed after it was applied to this database: restore it and write a new migration instead`],
        'The database cannot be migrated',
      );
    await inTransaction(client, async () => {
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_history (name, module, checksum) VALUES ($1, $2, $3)', [
        migration.name,
        migration.module,
        migration.checksum,
      ]);
    });
    applied.push(migration.name);
  }
  return applied;
}

/** All in one transaction: a function and the view that names it change together. */
async function applyDefinitions(client: pg.Client, definitions: Definition[]): Promise<string[]> {
  const { rows } = await client.query<{ name: string; checksum: string; present: boolean }>(`
    SELECT d.name, d.checksum,
           EXISTS (SELECT 1 FROM pg_proc p WHERE p.proname = d.name AND p.pronamespace = 'public'::regnamespace)
        OR EXISTS (SELECT 1 FROM pg_class c WHERE c.relname = d.name AND c.relnamespace = 'public'::regnamespace AND c.relkind = 'v')
           AS present
      FROM schema_definitions d`);
  const current = new Map(rows.filter((row) => row.present).map((row) => [row.name, row.checksum]));
  const due = definitions.filter((definition) => current.get(definition.name) !== definition.checksum);
  if (due.length === 0) return [];
  await inTransaction(client, async () => {
    for (const definition of due) {
      await client.query(definition.sql);
      await client.query(
        `INSERT INTO schema_definitions (name, module, checksum) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET module = excluded.module, checksum = excluded.checksum, applied_at = now()`,
        [definition.name, definition.module, definition.checksum],
      );
    }
  });
  return due.map((definition) => `${definition.name} (${definition.kind})`);
}

async function inTransaction(client: pg.Client, work: () => Promise<void>): Promise<void> {
  await client.query('BEGIN');
  try {
    await work();
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
