import type { DataSourceOptions, MigrationInterface } from 'typeorm';

export type MigrationClass = new () => MigrationInterface;

/** Explicit migrations only: the schema never follows the code by itself. */
export function dataSourceOptions(url: string, poolSize: number, migrations: MigrationClass[] = []): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations,
    migrationsTableName: 'schema_migrations',
    entities: [],
    extra: { max: poolSize, application_name: 'wallet-sandbox' },
  };
}
