import { describe, expect, test } from '@jest/globals';
import type pg from 'pg';
import { PREPARED_AT_MOST, PreparedStatements } from './prepared-statements.js';

const STALE = Object.assign(new Error('cached plan must not change result type'), { code: '0A000' });

/** A client that answers each statement with its config, after failing the named ones listed in `stale`. */
function client(stale = new Set<string>()): { sent: pg.QueryConfig[]; query: (config: pg.QueryConfig) => Promise<{ rows: unknown[] }> } {
  const sent: pg.QueryConfig[] = [];
  return {
    sent,
    query: async (config) => {
      sent.push(config);
      if (config.name && stale.has(config.name)) throw STALE;
      return { rows: [config] };
    },
  };
}

describe('prepared statements', () => {
  test('one text has one name, another text another; a statement without parameters runs unnamed', () => {
    const statements = new PreparedStatements();
    const a = statements.of('SELECT * FROM t WHERE id = $1', [1]);
    expect(a.name).toMatch(/^ws_/);
    expect(statements.of('SELECT * FROM t WHERE id = $1', [2])).toEqual({ name: a.name, text: a.text, values: [2] });
    expect(statements.of('SELECT * FROM u WHERE id = $1', [1]).name).not.toBe(a.name);
    expect(statements.of('SELECT count(*) FROM t', [])).toEqual({ text: 'SELECT count(*) FROM t' });
  });

  test('beyond the bound, new texts run unnamed and the ones named keep their names', () => {
    const statements = new PreparedStatements();
    const first = statements.of('SELECT $1::int AS n0', [0]).name;
    for (let n = 1; n < PREPARED_AT_MOST; n++) expect(statements.of(`SELECT $1::int AS n${n}`, [n]).name).toBeDefined();
    expect(statements.of('SELECT $1::int AS one_too_many', [1]).name).toBeUndefined();
    expect(statements.of('SELECT $1::int AS n0', [0]).name).toBe(first);
  });

  test('a statement whose prepared form went stale runs again unnamed, and unnamed from then on', async () => {
    const statements = new PreparedStatements();
    const sql = 'SELECT * FROM t WHERE id = $1';
    const name = statements.of(sql, [1]).name as string;
    const pool = client(new Set([name]));
    expect(await statements.run(pool as unknown as pg.Pool, sql, [1], false)).toEqual([{ text: sql, values: [1] }]);
    expect(pool.sent.map((config) => config.name)).toEqual([name, undefined]);
    expect(statements.of(sql, [1]).name).toBeUndefined();
  });

  test('in a transaction, which the failure aborted, the stale statement fails, and its retry runs it unnamed', async () => {
    const statements = new PreparedStatements();
    const sql = 'SELECT * FROM t WHERE id = $1';
    const name = statements.of(sql, [1]).name as string;
    const tx = client(new Set([name]));
    await expect(statements.run(tx as unknown as pg.PoolClient, sql, [1], true)).rejects.toBe(STALE);
    expect(tx.sent).toHaveLength(1);
    expect(await statements.run(tx as unknown as pg.PoolClient, sql, [1], true)).toEqual([{ text: sql, values: [1] }]);
  });

  test("any other failure is the caller's, and the name stays", async () => {
    const statements = new PreparedStatements();
    const sql = 'INSERT INTO t (id) VALUES ($1)';
    const failing = { query: async () => Promise.reject(Object.assign(new Error('duplicate key'), { code: '23505' })) };
    await expect(statements.run(failing as unknown as pg.Pool, sql, [1], false)).rejects.toMatchObject({ code: '23505' });
    expect(statements.of(sql, [1]).name).toMatch(/^ws_/);
  });
});
