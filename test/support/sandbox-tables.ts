import type { Database } from '#core';

/** Every table that keeps rows per sandbox: the ones with a `sandbox_id` column (views excluded). */
export async function sandboxTables(db: Database): Promise<string[]> {
  const rows = await db.rows<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND c.column_name = 'sandbox_id' AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name`,
  );
  return rows.map((row) => row.table_name);
}

/** One sandbox's rows in every table, each table summed up by `summary` (an SQL aggregate over the rows `r`). */
async function perTable(db: Database, sandboxId: string, summary: string): Promise<Record<string, string>> {
  const tables = await sandboxTables(db);
  const rows = await db.rows<{ name: string; value: string }>(
    tables
      .map((table) => `SELECT '${table}' AS name, (${summary})::text AS value FROM "${table}" r WHERE r.sandbox_id = $1`)
      .join(' UNION ALL '),
    [sandboxId],
  );
  return Object.fromEntries(rows.map((row) => [row.name, row.value]));
}

/** How many rows of the sandbox each table holds. */
export function rowCounts(db: Database, sandboxId: string): Promise<Record<string, string>> {
  return perTable(db, sandboxId, 'count(*)');
}

/** A digest of every row of the sandbox, table by table: the same digests mean nothing changed. */
export function rowDigests(db: Database, sandboxId: string): Promise<Record<string, string>> {
  return perTable(db, sandboxId, `md5(coalesce(string_agg(r::text, ',' ORDER BY r::text), ''))`);
}
