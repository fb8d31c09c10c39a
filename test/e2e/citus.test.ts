import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import pg from 'pg';
import { COORDINATOR_TABLES, DISTRIBUTED_FUNCTIONS, DISTRIBUTION_COLUMN, REFERENCE_TABLES } from '../../apps/migrate/src/citus.js';
import { runMigrations } from '../../apps/migrate/src/run-migrations.js';

/**
 * The schema spreads over a Citus cluster by sandbox (DATABASE_TOPOLOGY=citus,
 * apps/migrate/src/citus.ts). On a single server the rule that makes this
 * possible is checked: every table is sandbox-scoped or named as global. On
 * a coordinator (the scale suite, .ci/scale) the distribution itself.
 */
const onCitus = process.env.DATABASE_TOPOLOGY === 'citus';

let db: pg.Client;
beforeAll(async () => {
  db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
});
afterAll(() => db.end());

async function tables(): Promise<Array<{ name: string; sandboxScoped: boolean }>> {
  const { rows } = await db.query<{ name: string; sandbox_scoped: boolean }>(
    `SELECT c.relname AS name,
            EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = $1 AND NOT a.attisdropped) AS sandbox_scoped
       FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') ORDER BY 1`,
    [DISTRIBUTION_COLUMN],
  );
  return rows.map((row) => ({ name: row.name, sandboxScoped: row.sandbox_scoped }));
}

describe('a schema that can be distributed by sandbox', () => {
  test('every table without sandbox_id is named a reference or a coordinator table, and each named table exists', async () => {
    const all = await tables();
    const global = all.filter((table) => !table.sandboxScoped).map((table) => table.name);
    const named = [...REFERENCE_TABLES, ...COORDINATOR_TABLES];
    expect(global.filter((name) => !named.includes(name))).toEqual([]);
    expect(named.filter((name) => !all.some((table) => table.name === name))).toEqual([]);
  });

  test('every primary key and unique constraint of a sandbox-scoped table includes sandbox_id', async () => {
    const { rows } = await db.query<{ constraint: string }>(
      `SELECT con.relname AS constraint
         FROM pg_index i
         JOIN pg_class c ON c.oid = i.indrelid AND c.relnamespace = 'public'::regnamespace
         JOIN pg_class con ON con.oid = i.indexrelid
        WHERE i.indisunique AND NOT (c.relname = ANY ($2::text[]))
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = $1)
          AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = $1 AND a.attnum = ANY (i.indkey))`,
      [DISTRIBUTION_COLUMN, [...REFERENCE_TABLES, ...COORDINATOR_TABLES]],
    );
    expect(rows.map((row) => row.constraint)).toEqual([]);
  });
});

(onCitus ? describe : describe.skip)('on a Citus coordinator', () => {
  test('each sandbox-scoped table is distributed by sandbox_id, all in one colocation group; the global ones are reference tables', async () => {
    const { rows } = await db.query<{ name: string; method: string; column: string | null; colocation: number }>(
      `SELECT logicalrelid::regclass::text AS name, partmethod AS method,
              column_to_column_name(logicalrelid, partkey) AS column, colocationid AS colocation
         FROM pg_dist_partition ORDER BY 1`,
    );
    const sharded = (await tables()).filter((table) => table.sandboxScoped && !COORDINATOR_TABLES.includes(table.name));
    const hashed = rows.filter((row) => row.method === 'h');
    expect(hashed.map((row) => row.name).sort()).toEqual(
      sharded.map((table) => table.name).filter((name) => !REFERENCE_TABLES.includes(name)),
    );
    expect(new Set(hashed.map((row) => row.column))).toEqual(new Set([DISTRIBUTION_COLUMN]));
    expect(new Set(hashed.map((row) => row.colocation)).size).toBe(1);
    expect(
      rows
        .filter((row) => row.method === 'n')
        .map((row) => row.name)
        .sort(),
    ).toEqual([...REFERENCE_TABLES].sort());
  });

  test('the shards are on more than one worker', async () => {
    const { rows } = await db.query<{ nodes: string }>(
      `SELECT count(DISTINCT nodeport) AS nodes FROM citus_shards WHERE table_name = 'ledger_accounts'::regclass`,
    );
    expect(Number(rows[0].nodes)).toBeGreaterThan(1);
  });

  test('the hot functions run where their sandbox is, by their sandbox argument, colocated with the tables', async () => {
    const { rows } = await db.query<{ name: string; argument: number; colocated: boolean }>(
      `SELECT p.proname AS name, o.distribution_argument_index AS argument,
              o.colocationid = (SELECT colocationid FROM pg_dist_partition WHERE logicalrelid = 'ledger_accounts'::regclass) AS colocated
         FROM pg_dist_object o JOIN pg_proc p ON p.oid = o.objid
        WHERE o.classid = 'pg_proc'::regclass AND o.distribution_argument_index IS NOT NULL ORDER BY 1`,
    );
    expect(rows.map((row) => row.name)).toEqual(DISTRIBUTED_FUNCTIONS.map((fn) => fn.name).sort());
    expect(rows.every((row) => row.argument === 0 && row.colocated)).toBe(true);
  });

  test('the migrate step run again changes nothing', async () => {
    expect(await runMigrations(process.env.DATABASE_URL as string, undefined, 'citus')).toEqual([]);
  });

  test('a table with no sandbox_id and no place in citus.ts stops the migrate step, by name, and nothing is distributed', async () => {
    await db.query('CREATE TABLE citus_test_stray (id integer PRIMARY KEY)');
    try {
      await expect(runMigrations(process.env.DATABASE_URL as string, undefined, 'citus')).rejects.toThrow(
        'table citus_test_stray has no sandbox_id',
      );
      const { rows } = await db.query(`SELECT 1 FROM pg_dist_partition WHERE logicalrelid = 'citus_test_stray'::regclass`);
      expect(rows).toEqual([]);
    } finally {
      await db.query('DROP TABLE citus_test_stray');
    }
  });

  test('a coordinator with no worker registered is refused, saying how to add one', async () => {
    const scratch = `citus_test_no_workers_${process.pid}`;
    const server = new URL(process.env.DATABASE_URL as string);
    await db.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
    await db.query(`CREATE DATABASE ${scratch}`);
    try {
      server.pathname = `/${scratch}`;
      await expect(runMigrations(server.toString(), undefined, 'citus')).rejects.toThrow('has no worker nodes');
    } finally {
      await db.query(`DROP DATABASE ${scratch} WITH (FORCE)`);
    }
  });
});
