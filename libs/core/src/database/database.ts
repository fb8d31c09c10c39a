import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type pg from 'pg';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { roundTrips } from './round-trips.js';

/** Something SQL can run on: the pool, or an open transaction. */
export interface Queryable {
  rows<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** Distinct statements a process prepares at most; beyond them (SQL built at run time, say) they run unnamed. */
const PREPARED_AT_MOST = 2_000;
/** What PostgreSQL answers when a prepared statement's result changed shape under it (a migration added a column). */
const RESULT_SHAPE_CHANGED = /cached plan must not change result type/;

/**
 * Statements with parameters run as named prepared statements: PostgreSQL
 * parses and plans each once per connection instead of on every call,
 * which halves its CPU on the short statements of a request. A name is a
 * counter, so one text has one name in this process, on every connection.
 */
class PreparedStatements {
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

const prepared = new PreparedStatements();

/** An open transaction: its manager for TypeORM repositories, `rows` for SQL. */
export class Tx implements Queryable {
  private readonly commitHooks: Array<() => void> = [];

  constructor(readonly manager: EntityManager) {}

  async rows<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = (await (this.manager.queryRunner as QueryRunner).connect()) as pg.PoolClient;
    return prepared.run<T>(client, sql, params, true);
  }

  /** Runs after a successful commit (never after a rollback), e.g. to wake the outbox relay. */
  afterCommit(hook: () => void): void {
    this.commitHooks.push(hook);
  }

  runCommitHooks(logger: Logger): void {
    for (const hook of this.commitHooks) {
      try {
        hook();
      } catch (error) {
        logger.warn(`after-commit hook failed: ${String(error)}`);
      }
    }
  }
}

/**
 * The application's door to Postgres. Transactions are READ COMMITTED;
 * correctness under concurrency comes from guarded single statements and
 * unique constraints, not from isolation levels.
 */
@Injectable()
export class Database implements Queryable {
  private readonly logger = new Logger(Database.name);

  constructor(@InjectDataSource() readonly dataSource: DataSource) {}

  async rows<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return prepared.run<T>((this.dataSource.driver as PostgresDriver).master as pg.Pool, sql, params, false);
  }

  /** REPEATABLE READ is for reports that must see one consistent snapshot. */
  async transaction<T>(work: (tx: Tx) => Promise<T>, isolation: 'READ COMMITTED' | 'REPEATABLE READ' = 'READ COMMITTED'): Promise<T> {
    let tx: Tx | undefined;
    const run = async (manager: EntityManager): Promise<T> => {
      tx = new Tx(manager);
      return work(tx);
    };
    // READ COMMITTED is Postgres's default: naming it would cost a round trip per transaction.
    const result =
      isolation === 'READ COMMITTED' ? await this.dataSource.transaction(run) : await this.dataSource.transaction(isolation, run);
    tx?.runCommitHooks(this.logger);
    return result;
  }
}
