import { DataSource } from 'typeorm';
import { dataSourceOptions } from '#core';
import { MIGRATIONS } from './migrations.js';

/** Applies pending migrations, each in its own transaction; returns their names. */
export async function runMigrations(databaseUrl: string): Promise<string[]> {
  const dataSource = new DataSource(dataSourceOptions(databaseUrl, 2, MIGRATIONS));
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}
