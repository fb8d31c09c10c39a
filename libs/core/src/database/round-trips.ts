import type { Logger } from 'typeorm';

/**
 * Counts the statements this process sends to PostgreSQL through TypeORM,
 * BEGIN and COMMIT included: each is a round trip a request waits for.
 * TypeORM calls its logger for every statement; this one only counts.
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
