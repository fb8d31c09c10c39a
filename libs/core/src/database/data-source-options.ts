import type { DataSourceOptions } from 'typeorm';
import { roundTrips } from './round-trips.js';

/** No entities, no synchronising: the schema is the migrate command's (apps/migrate), from SQL files. */
export function dataSourceOptions(url: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    entities: [],
    extra: { max: poolSize, application_name: 'wallet-sandbox' },
    logger: roundTrips,
  };
}
