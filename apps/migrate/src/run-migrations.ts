import { DataSource } from 'typeorm';
import { dataSourceOptions, migrateQueueSchema } from '#core';
import { MIGRATIONS } from './migrations.js';

/**
 * Applies pending migrations, each in its own transaction, and brings BullMQ's
 * own tables up to date (used when the queues run on PostgreSQL; ready either
 * way, so switching the queue backend needs no migration). Returns the names
 * of the migrations applied.
 */
export async function runMigrations(databaseUrl: string): Promise<string[]> {
  const dataSource = new DataSource(dataSourceOptions(databaseUrl, 2, MIGRATIONS));
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    await migrateQueueSchema(databaseUrl);
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}
