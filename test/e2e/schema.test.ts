import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import pg from 'pg';
import { runMigrations } from '../../apps/migrate/src/run-migrations.js';
import { type Definition, readDefinitions, readMigrations } from '../../apps/migrate/src/schema-files.js';

/**
 * The database holds what the files say: every function and view exactly as
 * its one file defines it, and the migrate command keeps it so.
 */
const definitions = readDefinitions();

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** What PostgreSQL holds for a definition, as pg_get_functiondef / pg_get_viewdef print it, schema aside. */
async function heldDefinition(db: pg.Client, definition: Definition, schema: string): Promise<string> {
  const { rows } = await db.query<{ def: string }>(
    definition.kind === 'function'
      ? `SELECT pg_get_functiondef(p.oid) AS def FROM pg_proc p WHERE p.proname = $1 AND p.pronamespace = $2::regnamespace`
      : `SELECT pg_get_viewdef(c.oid) AS def FROM pg_class c WHERE c.relname = $1 AND c.relnamespace = $2::regnamespace`,
    [definition.name, schema],
  );
  expect(rows).toHaveLength(1);
  return rows[0].def.replace(`${schema}.${definition.name}`, definition.name);
}

describe('the live schema is the files', () => {
  let db: pg.Client;
  beforeAll(async () => {
    db = await connect(process.env.DATABASE_URL as string);
  });
  afterAll(() => db.end());

  test.each(definitions.map((definition) => ({ name: definition.name, definition })))(
    '$name is exactly as its file defines it',
    async ({ definition }) => {
      // The file made afresh in a schema of its own, then compared with what the migrate command left in public.
      await db.query('BEGIN');
      try {
        await db.query('CREATE SCHEMA definition_check; SET LOCAL search_path = definition_check, public');
        await db.query(definition.sql);
        expect(await heldDefinition(db, definition, 'public')).toBe(await heldDefinition(db, definition, 'definition_check'));
      } finally {
        await db.query('ROLLBACK');
      }
    },
  );

  test('every function and view in the schema has its file', async () => {
    const { rows } = await db.query<{ name: string }>(`
      SELECT p.proname AS name FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
      UNION SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('v', 'm')
      ORDER BY 1`);
    expect(rows.map((row) => row.name)).toEqual(definitions.map((definition) => definition.name).sort());
  });
});

/** An empty database of the test's own, dropped afterwards. */
function scratchDatabase(label: string): { url: string; open: () => Promise<void>; drop: () => Promise<void> } {
  const server = process.env.TEST_POSTGRES_SERVER as string;
  const name = `${process.env.TEST_DATABASE_BASE}_${label}_${process.env.JEST_WORKER_ID ?? '1'}`;
  const admin = new pg.Client({ connectionString: `${server}/postgres` });
  return {
    url: `${server}/${name}`,
    open: async () => {
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.query(`CREATE DATABASE ${name}`);
    },
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

describe('the migrate command', () => {
  const scratch = scratchDatabase('schema');
  const url = scratch.url;
  let db: pg.Client;

  beforeAll(() => scratch.open());
  afterAll(async () => {
    await db?.end();
    await scratch.drop();
  });

  test('builds an empty database from the files, then finds nothing to do', async () => {
    const applied = await runMigrations(url);
    expect(applied).toEqual([
      ...readMigrations().map((migration) => migration.name),
      ...definitions.map((definition) => `${definition.name} (${definition.kind})`),
    ]);
    expect(await runMigrations(url)).toEqual([]);
    db = await connect(url);
  });

  test('applies a definition again when its file changed since, or when it went missing', async () => {
    await db.query(`UPDATE schema_definitions SET checksum = 'an earlier version' WHERE name = 'ledger_transfer'`);
    await db.query('DROP FUNCTION capture_payment');
    expect(await runMigrations(url)).toEqual(['ledger_transfer (function)', 'capture_payment (function)']);
    const { rows } = await db.query(`SELECT 1 FROM pg_proc WHERE proname = 'capture_payment'`);
    expect(rows).toHaveLength(1);
  });

  test('stops at a migration changed after it was applied', async () => {
    const [first] = readMigrations();
    await db.query(`UPDATE schema_history SET checksum = 'what it was then' WHERE name = $1`, [first.name]);
    await expect(runMigrations(url)).rejects.toThrow(`${first.path} changed after it was applied to this database`);
  });

  test('refuses a database from before the schema history began, and changes nothing', async () => {
    await db.query(`DROP SCHEMA public CASCADE; CREATE SCHEMA public; CREATE TABLE schema_migrations (id serial, name text)`);
    await expect(runMigrations(url)).rejects.toThrow('from before its schema history began');
    const { rows } = await db.query(`SELECT to_regclass('public.schema_history') AS history`);
    expect(rows[0].history).toBeNull();
  });
});

describe('a renamed event type keeps its history and its subscribers', () => {
  const scratch = scratchDatabase('rename');
  beforeAll(() => scratch.open());
  afterAll(() => scratch.drop());

  test('topup.screened becomes fraud.topup_screened in the event log and in webhook subscriptions', async () => {
    const renames = readMigrations().filter((migration) => migration.name.endsWith('-topup-screened-becomes-a-fraud-event'));
    expect(renames.map((migration) => migration.module)).toEqual(['core', 'webhooks']);
    const before = readMigrations().filter((migration) => migration.name < renames[0].name);
    await runMigrations(scratch.url, { migrations: before, definitions });
    const db = await connect(scratch.url);
    try {
      await db.query(`INSERT INTO outbox_events (id, sandbox_id, type, data, occurred_at)
                      VALUES ('evt_1', 'sbx_1', 'topup.screened', '{}', now()), ('evt_2', 'sbx_1', 'topup.requested', '{}', now())`);
      await db.query(`INSERT INTO webhook_endpoints (sandbox_id, id, url, events, status, secret_sealed, created_at)
                      VALUES ('sbx_1', 'we_1', 'https://example.test/hook', '{topup.requested,topup.screened}', 'enabled', 'sealed', now())`);
      const through = readMigrations().filter((migration) => migration.name <= renames[renames.length - 1].name);
      expect(await runMigrations(scratch.url, { migrations: through, definitions })).toEqual(renames.map((migration) => migration.name));
      const events = await db.query(`SELECT id, type FROM outbox_events ORDER BY id`);
      expect(events.rows).toEqual([
        { id: 'evt_1', type: 'fraud.topup_screened' },
        { id: 'evt_2', type: 'topup.requested' },
      ]);
      const endpoints = await db.query(`SELECT events FROM webhook_endpoints`);
      expect(endpoints.rows).toEqual([{ events: ['topup.requested', 'fraud.topup_screened'] }]);
    } finally {
      await db.end();
    }
  });
});

describe('the ledger says a hold is placed and released', () => {
  const scratch = scratchDatabase('holds');
  beforeAll(() => scratch.open());
  afterAll(() => scratch.drop());

  test('the tombstones of holds lifted before the rename are those of holds released after it', async () => {
    const [rename] = readMigrations().filter((migration) => migration.name.endsWith('-holds-are-placed-and-released'));
    expect(rename.module).toBe('ledger');
    await runMigrations(scratch.url, { migrations: readMigrations().filter((migration) => migration.name < rename.name), definitions });
    const db = await connect(scratch.url);
    try {
      await db.query(`INSERT INTO ledger_lifted_holds (sandbox_id, hold_id, lifted_at) VALUES ('sbx_1', 'hld_1', '2019-07-04T00:00:00Z')`);
      expect(await runMigrations(scratch.url)).toContain(rename.name);
      const { rows } = await db.query(`SELECT sandbox_id, hold_id, released_at FROM ledger_released_holds`);
      expect(rows).toEqual([{ sandbox_id: 'sbx_1', hold_id: 'hld_1', released_at: new Date('2019-07-04T00:00:00Z') }]);
      expect((await db.query(`SELECT to_regclass('public.ledger_lifted_holds') AS old`)).rows).toEqual([{ old: null }]);
    } finally {
      await db.end();
    }
  });
});
