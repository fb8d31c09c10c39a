import type pg from 'pg';
import { roundTrips } from './round-trips.js';

/** Distinct statements a process prepares at most; beyond them (SQL built at run time, say) they run unnamed. */
export const PREPARED_AT_MOST = 2_000;
/** What PostgreSQL answers when a prepared statement's result changed shape under it (a migration added a column). */
const RESULT_SHAPE_CHANGED = /cached plan must not change result type/;

/**
 * Statements with parameters run as named prepared statements: PostgreSQL
 * parses and plans each once per connection instead of on every call,
 * which halves its CPU on the short statements of a request. A name is a
 * counter, so one text has one name in this process, on every connection.
 */
export class PreparedStatements {
  private readonly names = new Map<string, string | null>();

  of(sql: string, params: unknown[]): pg.QueryConfig {
    if (params.length === 0) return { text: sql };
    let name = this.names.get(sql);
    if (name === undefined && this.names.size < PREPARED_AT_MOST) {
      name = `ws_${this.names.size.toString(36)}`;
      this.names.set(sql, name);
    }
    return name ? { name, text: sql, values: params } : { text: sql, values: params };
  }

  /**
   * Runs `sql` on the pool, or on a transaction's client. A statement whose prepared form went stale runs
   * unnamed from then on: on the pool at once; in a transaction, which the failure aborted, when it is retried.
   */
  async run<T>(client: pg.Pool | pg.PoolClient, sql: string, params: unknown[], inTransaction: boolean): Promise<T[]> {
    roundTrips.count++;
    const statement = this.of(sql, params);
    try {
      return (await client.query(statement)).rows as T[];
    } catch (error) {
      if (!statement.name || !RESULT_SHAPE_CHANGED.test(String((error as Error).message))) throw error;
      this.names.set(sql, null);
      if (inTransaction) throw error;
      roundTrips.count++;
      return (await client.query({ text: sql, values: params })).rows as T[];
    }
  }
}
