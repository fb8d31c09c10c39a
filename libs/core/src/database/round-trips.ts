import type { Logger } from 'typeorm';

/**
 * Counts the statements this process sends to PostgreSQL: each is a round
 * trip a request waits for. Database counts the statements it runs; as
 * TypeORM's logger, which TypeORM calls for every statement it sends
 * itself, this counts BEGIN, COMMIT and ROLLBACK.
 */
export class RoundTrips implements Logger {
  count = 0;

  logQuery(): void {
    this.count++;
  }

  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

/** The process's one counter, read by /metrics (`db_round_trips_total`). */
export const roundTrips = new RoundTrips();
