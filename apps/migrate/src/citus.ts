import type pg from 'pg';
import { EnvironmentError } from '#core';

/**
 * How the schema spreads over a Citus cluster (DATABASE_TOPOLOGY=citus).
 * Every table that carries `sandbox_id` is distributed by it, all colocated,
 * so a sandbox's rows live together on one worker and every statement that
 * names its sandbox runs there whole. The exceptions are named here.
 */

/** Held whole on every node: read by a global key (an API key's hash) before the sandbox is known, or joined from everywhere. */
export const REFERENCE_TABLES = ['sandboxes', 'sandbox_api_keys', 'capture_store_keys'];

/** Kept on the coordinator alone: the schema's own history, throttle counters (Redis holds them in a cluster), the operators' failed-job list. */
export const COORDINATOR_TABLES = ['schema_history', 'schema_definitions', 'throttle_counters', 'failed_jobs'];

/** The distributed table the others are colocated with. */
const COLOCATION_ANCHOR = 'ledger_accounts';

export const DISTRIBUTION_COLUMN = 'sandbox_id';

/**
 * Functions that work on one sandbox, run on the worker that holds it when
 * called on their own (not inside a transaction): the call is one round trip
 * to that worker instead of one per statement. Each names its sandbox in the
 * argument given. An advisory lock such a function takes is the worker's, so
 * a function qualifies only if every taker of its locks is itself delegated
 * or the lock is keyed by something only this call uses (an idempotency key,
 * a payment id); the top-up functions share their wallet lock with
 * TypeScript transactions and stay on the coordinator.
 */
export const DISTRIBUTED_FUNCTIONS: Array<{ name: string; sandboxArgument: string }> = [
  { name: 'capture_payment', sandboxArgument: 'p_sandbox' },
  { name: 'barcode_issue_code', sandboxArgument: 'p_sandbox' },
  { name: 'ledger_transfer', sandboxArgument: 'p_sandbox' },
  { name: 'ledger_payout_batch', sandboxArgument: 'p_sandbox' },
];

interface TableFacts {
  name: string;
  distributed: 'reference' | 'hash' | null;
  hasSandbox: boolean;
}

/**
 * Makes the database a Citus coordinator if it is not one yet and applies the
 * distribution to every table not yet distributed (tables added by later
 * migrations included). Idempotent; runs after the migrations and definitions.
 * Returns what it distributed.
 */
export async function distributeSchema(client: pg.Client): Promise<string[]> {
  await client.query('CREATE EXTENSION IF NOT EXISTS citus');
  const { rows: nodes } = await client.query<{ workers: string }>(
    `SELECT count(*) AS workers FROM pg_dist_node WHERE groupid <> 0 AND noderole = 'primary' AND isactive`,
  );
  if (Number(nodes[0].workers) === 0)
    throw new EnvironmentError(
      [
        'DATABASE_TOPOLOGY=citus, but the Citus coordinator at DATABASE_URL has no worker nodes: ' +
          "in this database, create the citus extension on each worker and run SELECT citus_add_node('<worker host>', <port>) on the coordinator " +
          '(see docs/deployment.md)',
      ],
      'The database cannot be distributed',
    );
  const tables = await tableFacts(client);
  const known = new Set([...REFERENCE_TABLES, ...COORDINATOR_TABLES]);
  const stray = tables.filter((table) => !table.hasSandbox && !known.has(table.name));
  if (stray.length > 0)
    throw new EnvironmentError(
      stray.map(
        (table) =>
          `table ${table.name} has no ${DISTRIBUTION_COLUMN}: name it in apps/migrate/src/citus.ts as a reference or a coordinator table`,
      ),
      'The database cannot be distributed',
    );
  const applied: string[] = [];
  const byName = new Map(tables.map((table) => [table.name, table]));
  for (const name of REFERENCE_TABLES) {
    if (byName.get(name)?.distributed) continue;
    await client.query('SELECT create_reference_table($1)', [name]);
    applied.push(`${name} (reference table)`);
  }
  const sharded = tables.filter((table) => table.hasSandbox && !known.has(table.name));
  const ordered = [
    ...sharded.filter((table) => table.name === COLOCATION_ANCHOR),
    ...sharded.filter((table) => table.name !== COLOCATION_ANCHOR),
  ];
  for (const table of ordered) {
    if (table.distributed) continue;
    const colocateWith = table.name === COLOCATION_ANCHOR ? 'none' : COLOCATION_ANCHOR;
    await client.query('SELECT create_distributed_table($1, $2, colocate_with => $3)', [table.name, DISTRIBUTION_COLUMN, colocateWith]);
    applied.push(`${table.name} (distributed by ${DISTRIBUTION_COLUMN})`);
  }
  applied.push(...(await propagateFunctions(client)));
  applied.push(...(await planPerCall(client)));
  for (const fn of DISTRIBUTED_FUNCTIONS) applied.push(...(await distributeFunction(client, fn)));
  return applied;
}

/**
 * Puts every function of the schema on every node. Citus copies a function
 * to the workers when it is created, except one made while its tables were
 * still local: a statement that runs on a worker may call any of them.
 */
async function propagateFunctions(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ signature: string; name: string }>(
    `SELECT p.oid::regprocedure::text AS signature, p.proname AS name
       FROM pg_proc p
      WHERE p.pronamespace = 'public'::regnamespace
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
        AND NOT EXISTS (SELECT 1 FROM pg_dist_object o WHERE o.classid = 'pg_proc'::regclass AND o.objid = p.oid)
      ORDER BY 1`,
  );
  for (const row of rows) await client.query('SELECT create_distributed_function($1)', [row.signature]);
  return rows.map((row) => `${row.name} (on every node)`);
}

async function tableFacts(client: pg.Client): Promise<TableFacts[]> {
  const { rows } = await client.query<{ name: string; method: string | null; has_sandbox: boolean }>(
    `SELECT c.relname AS name, p.partmethod AS method,
            EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = $1 AND NOT a.attisdropped) AS has_sandbox
       FROM pg_class c
       LEFT JOIN pg_dist_partition p ON p.logicalrelid = c.oid
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
      ORDER BY c.relname`,
    [DISTRIBUTION_COLUMN],
  );
  return rows.map((row) => ({
    name: row.name,
    distributed: row.method === 'n' ? 'reference' : row.method === 'h' ? 'hash' : null,
    hasSandbox: row.has_sandbox,
  }));
}

/**
 * Functions that keep one generic plan per session on a single server (their
 * plans cost more than their runs) are planned per call on Citus instead: it
 * routes a statement to a shard by the sandbox it is given, which a generic
 * plan does not know.
 */
async function planPerCall(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ signature: string; name: string }>(
    `SELECT p.oid::regprocedure::text AS signature, p.proname AS name
       FROM pg_proc p
      WHERE p.pronamespace = 'public'::regnamespace AND 'plan_cache_mode=force_generic_plan' = ANY (p.proconfig)
      ORDER BY 1`,
  );
  for (const row of rows) await client.query(`ALTER FUNCTION ${row.signature} RESET plan_cache_mode`);
  return rows.map((row) => `${row.name} (planned per call)`);
}

/** Distributes one function by its sandbox argument, once: its signature is read from the catalogue. */
async function distributeFunction(client: pg.Client, fn: { name: string; sandboxArgument: string }): Promise<string[]> {
  const { rows } = await client.query<{ signature: string; distributed: boolean }>(
    `SELECT p.oid::regprocedure::text AS signature,
            EXISTS (SELECT 1 FROM pg_dist_object o WHERE o.classid = 'pg_proc'::regclass AND o.objid = p.oid AND o.distribution_argument_index IS NOT NULL) AS distributed
       FROM pg_proc p WHERE p.proname = $1 AND p.pronamespace = 'public'::regnamespace`,
    [fn.name],
  );
  if (rows.length !== 1) throw new Error(`function ${fn.name}: ${rows.length} definitions, expected one`);
  if (rows[0].distributed) return [];
  await client.query('SELECT create_distributed_function($1, $2, colocate_with => $3)', [
    rows[0].signature,
    fn.sandboxArgument,
    COLOCATION_ANCHOR,
  ]);
  return [`${fn.name} (runs where its sandbox is)`];
}
