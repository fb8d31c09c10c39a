import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type pg from 'pg';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { PreparedStatements } from './prepared-statements.js';

/** Something SQL can run on: the pool, or an open transaction. */
export interface Queryable {
  rows<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
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

  /** A statement outside a transaction has committed once it returns: the hook runs at once (see Tx.afterCommit). */
  afterCommit(hook: () => void): void {
    hook();
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
